import Foundation
import Store
import Testing
import TestSupport

/// `ensemble_size`: seeds of a cell trained as one BLAS problem, under real mpirun.
@Suite(.serialized) struct EnsembleSweepTests {
    static func spec(ensemble: Int) -> String {
        """
        model: mlp
        dataset: fashion-mnist
        train_size: 200
        test_size: 100
        width: [8, 24]
        depth: 2
        learning_rate: 0.01
        batch_size: 50
        epochs: 5
        curve_points: 3
        data_order: shared
        seeds: 7
        ensemble_size: \(ensemble)
        """
    }

    /// Ensembles of 3 (7 seeds: groups of 3, 3, 1) store every net once, bitwise equal
    /// on 1 and 2 ranks, and each net within Float32 rounding of its training alone.
    @Test func ensembleSweepIsRankIndependentAndMatchesNetsTrainedAlone() throws {
        let dir = try TemporaryDirectory("e2e-ensemble")
        defer { dir.remove() }
        var stores: [String: [Int: ResultRecord]] = [:]
        for (name, ranks, ensemble) in [("two", 2, 3), ("one", 0, 3), ("alone", 2, 1)] {
            let spec = try dir.write("\(name).yaml", Self.spec(ensemble: ensemble))
            let store = dir.file("\(name).sqlite")
            let r = try OverparamBinary.run(ranks: ranks, ["sweep", spec, "--store", store, "--quiet"])
            #expect(r.status == 0, "\(name): \(r.output)")
            if ensemble > 1 { #expect(r.stderr.contains("in ensembles of up to 3 seeds")) }
            stores[name] = try SweepEndToEndTests.contents(store)
        }
        let two = try #require(stores["two"]), one = try #require(stores["one"]), alone = try #require(stores["alone"])
        #expect(two.count == 14 && alone.count == 14)
        #expect(two == one, "an ensemble sweep differs between 1 and 2 ranks")
        for (index, together) in two {
            let single = try #require(alone[index])
            let f = try #require(together.outputs).doubles(), g = try #require(single.outputs).doubles()
            let scale = g.map(abs).max()!
            #expect(maxAbsDifference(f, g) <= 1e-4 * scale, "task \(index) trained in an ensemble drifted from alone")
            #expect(together.metrics["epochs"] == single.metrics["epochs"])
        }
        // Seeds differ: the nets of one ensemble are not copies.
        #expect(two[0]!.outputs != two[1]!.outputs)
    }

    /// A unit of which one net is missing from the store (as if lost) is rerun whole
    /// on resume and only that net is stored: the store then equals the uninterrupted one.
    @Test func resumeRerunsAUnitAndStoresOnlyTheMissingNet() throws {
        let dir = try TemporaryDirectory("e2e-ensemble-resume")
        defer { dir.remove() }
        let spec = try dir.write("e.yaml", Self.spec(ensemble: 3))
        let full = dir.file("full.sqlite"), cut = dir.file("cut.sqlite")
        for store in [full, cut] {
            let r = try OverparamBinary.run(ranks: 2, ["sweep", spec, "--store", store, "--quiet"])
            #expect(r.status == 0, "\(r.output)")
        }
        let delete = "DELETE FROM metrics WHERE task_idx = 1; DELETE FROM outputs WHERE task_idx = 1; "
            + "DELETE FROM curves WHERE task_idx = 1; DELETE FROM results WHERE task_idx = 1;"
        let sql = try runProcess("/usr/bin/env", ["python3", "-c",
            "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.executescript(sys.argv[2]); c.commit()", cut, delete])
        #expect(sql.status == 0, "\(sql.output)")
        #expect(try SweepEndToEndTests.contents(cut).count == 13)
        let resumed = try OverparamBinary.run(ranks: 2, ["sweep", spec, "--store", cut, "--resume", "--quiet"])
        #expect(resumed.status == 0, "\(resumed.output)")
        #expect(resumed.stderr.contains("1 to run, 13 already stored"))
        #expect(resumed.stderr.contains("ran 1 tasks"))
        #expect(try SweepEndToEndTests.contents(cut) == (try SweepEndToEndTests.contents(full)))
    }
}
