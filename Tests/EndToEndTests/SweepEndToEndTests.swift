import Foundation
import Store
import Testing
import TestSupport

/// Real sweeps of the built `overparam` under real `mpirun`, on the real Fashion-MNIST files.
@Suite(.serialized) struct SweepEndToEndTests {
    /// 5 widths x 4 seeds = 20 tasks on a small Fashion-MNIST subset.
    static let spec = """
        name: e2e
        model: random_features
        dataset: fashion-mnist
        train_size: 60
        test_size: 100
        width: [10, 30, 60, 90, 200]
        seeds: 4
        """

    /// The lines after the line that starts with `header`.
    static func report(after header: String, in text: String) -> String? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let start = lines.firstIndex(where: { $0.hasPrefix(header) }) else { return nil }
        return lines[(start + 1)...].joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Every stored result and output of a store, by task index.
    static func contents(_ path: String) throws -> [Int: ResultRecord] {
        let store = try SweepStore.open(path: path)
        var out: [Int: ResultRecord] = [:]
        for r in try store.results() {
            var r = r
            r.rank = 0; r.host = ""; r.wallSeconds = 0   // where and how fast may differ
            out[r.taskIndex] = r
        }
        return out
    }

    @Test func twoRanksFillTheStoreBitwiseEqualToOneAndThreeRanks() throws {
        let dir = try TemporaryDirectory("e2e")
        defer { dir.remove() }
        let spec = try dir.write("e2e.yaml", Self.spec)

        var stores: [Int: [Int: ResultRecord]] = [:]
        var liveReports: [Int: String] = [:]
        for ranks in [2, 0, 3] {
            let store = dir.file("ranks\(ranks).sqlite")
            let r = try OverparamBinary.run(ranks: ranks, ["sweep", spec, "--store", store, "--quiet"])
            #expect(r.status == 0, "ranks \(ranks): \(r.output)")
            stores[ranks] = try Self.contents(store)
            liveReports[ranks] = Self.report(after: "Fluctuations over initializations", in: r.stdout)
        }
        // The statistics rank 0 accumulates live, in seed order, are the same bits on
        // 1, 2 and 3 ranks, and equal analyze's pass over the stored raw outputs.
        let live = try #require(liveReports[2])
        #expect(live.contains("jamming:") && live.contains("width=200"))
        #expect(liveReports[0] == live && liveReports[3] == live)
        let offline = try OverparamBinary.run(ranks: 0, ["analyze", dir.file("ranks3.sqlite")])
        #expect(Self.report(after: "Fluctuations over initializations", in: offline.stdout) == live)
        let two = try #require(stores[2])
        #expect(two.count == 20)
        #expect(two.values.allSatisfy { $0.status == "ok" && $0.outputs?.rows == 100 && $0.outputs?.cols == 10 })
        #expect(two == stores[0], "1 rank (in-process) differs from 2 ranks")
        #expect(two == stores[3], "3 oversubscribed ranks differ from 2 ranks")

        // Both ranks trained (rank 0 trains too), and the test targets are stored.
        let ranksUsed = Set(try SweepStore.open(path: dir.file("ranks2.sqlite")).results().map(\.rank))
        #expect(ranksUsed == [0, 1])
        let targets = try SweepStore.open(path: dir.file("ranks2.sqlite")).targets(dataKey: two[0]!.dataKey)
        #expect(targets?.rows == 100 && targets?.cols == 10)

        // analyze prints a row per cell; export writes files numpy reads.
        let analyze = try OverparamBinary.run(ranks: 0, ["analyze", dir.file("ranks2.sqlite")])
        #expect(analyze.status == 0, "\(analyze.output)")
        #expect(analyze.stdout.contains("width=200") && analyze.stdout.contains("ensemble_test_error"))
        let export = try OverparamBinary.run(ranks: 0, ["export", dir.file("ranks2.sqlite"), dir.file("out")])
        #expect(export.status == 0, "\(export.output)")
        #expect(FileManager.default.fileExists(atPath: dir.file("out/metrics.csv")))
    }

    @Test func resumeAfterSigkillStoresEveryTaskOnceWithIdenticalOutputs() throws {
        let dir = try TemporaryDirectory("e2e-kill")
        defer { dir.remove() }
        // Enough work (about 0.1-0.3 s a task in release) that a kill after 5 results
        // lands well before the 48th, whichever build runs the test.
        let spec = try dir.write("kill.yaml", Self.spec.replacingOccurrences(of: "seeds: 4", with: "seeds: 12")
            .replacingOccurrences(of: "train_size: 60", with: "train_size: 1000")
            .replacingOccurrences(of: "test_size: 100", with: "test_size: 1000")
            .replacingOccurrences(of: "width: [10, 30, 60, 90, 200]", with: "width: [800, 1500, 2500, 3500]"))
        let reference = dir.file("reference.sqlite")
        let full = try OverparamBinary.run(ranks: 2, ["sweep", spec, "--store", reference, "--quiet"])
        #expect(full.status == 0, "\(full.output)")

        let killed = dir.file("killed.sqlite")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["mpirun"] + OverparamBinary.mpirunArguments(ranks: 2)
            + [OverparamBinary.path, "sweep", spec, "--store", killed, "--quiet"]
        p.environment = ProcessInfo.processInfo.environment.merging(OverparamBinary.mpiEnvironment) { $1 }
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        // Kill once a few results are in, well before the end.
        let deadline = Date().addingTimeInterval(120)
        var seen = 0
        while Date() < deadline && p.isRunning {
            seen = (try? SweepStore.open(path: killed).completedTaskIndices().count) ?? 0
            if seen >= 5 { break }
            usleep(5_000)
        }
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        // No rank may outlive mpirun and keep writing.
        try waitForNoProcess(matching: killed, seconds: 30)
        let partial = try Self.contents(killed).count
        #expect(partial >= 5 && partial < 48, "killed after \(partial) of 48 tasks")

        let resumed = try OverparamBinary.run(ranks: 2, ["sweep", spec, "--store", killed, "--resume", "--quiet"])
        #expect(resumed.status == 0, "\(resumed.output)")
        #expect(resumed.stderr.contains("already stored"), "\(resumed.output)")
        let a = try Self.contents(reference), b = try Self.contents(killed)
        #expect(a.count == 48 && b.count == 48)
        #expect(a == b, "resumed outputs differ from an uninterrupted run")
    }

    /// An MLP sweep over width x seed x label noise stores results, curves and the
    /// corruption mask, bitwise equal on 1 and 2 ranks.
    @Test func mlpSweepWithCurvesIsBitwiseEqualAcrossRankCounts() throws {
        let dir = try TemporaryDirectory("e2e-mlp")
        defer { dir.remove() }
        let spec = try dir.write("mlp.yaml", """
            model: mlp
            dataset: fashion-mnist
            train_size: 200
            test_size: 100
            width: [8, 32]
            depth: 2
            label_noise: [0, 0.5]
            label_noise_mode: flip
            optimizer: sgd
            momentum: 0.9
            learning_rate: 0.05
            batch_size: 50
            epochs: 6
            curve_points: 4
            seeds: 2
            """)
        var stores: [Int: SweepStore] = [:]
        for ranks in [2, 0] {
            let path = dir.file("r\(ranks).sqlite")
            let r = try OverparamBinary.run(ranks: ranks, ["sweep", spec, "--store", path, "--quiet"])
            #expect(r.status == 0, "\(r.output)")
            stores[ranks] = try SweepStore.open(path: path)
        }
        let two = try #require(stores[2]), one = try #require(stores[0])
        let a = try Self.contents(two.path), b = try Self.contents(one.path)
        #expect(a.count == 8 && a == b)
        for index in 0..<8 {
            let curves = try two.curves(taskIndex: index)
            #expect(Set(curves.map(\.epoch)) == [0, 1, 2, 3, 4, 6] || Set(curves.map(\.epoch)).isSuperset(of: [0, 1, 6]))
            #expect(curves.contains { $0.name == "test_error" } && curves.contains { $0.name == "weight_distance" })
            #expect(curves == (try one.curves(taskIndex: index)))
        }
        // The flip mask marks about half of the 200 training labels, for the noisy split only.
        let noisy = try #require(a.values.first { $0.dataKey.contains("label_noise=0.5") }).dataKey
        let mask = try #require(try two.dataArray(dataKey: noisy, name: "train_label_changed")).doubles()
        #expect(mask.count == 200 && abs(mask.reduce(0, +) - 100) < 30)
        let clean = try #require(a.values.first { $0.dataKey.contains("label_noise=0.0") }).dataKey
        #expect(try two.dataArray(dataKey: clean, name: "train_label_changed") == nil)
    }

    /// `outputs: float16` stores the same outputs rounded to half precision.
    @Test func float16OutputsAreTheRoundedOutputs() throws {
        let dir = try TemporaryDirectory("e2e-f16")
        defer { dir.remove() }
        let full = try dir.write("a.yaml", Self.spec)
        let half = try dir.write("b.yaml", Self.spec + "\noutputs: float16\n")
        for (spec, store) in [(full, "a.sqlite"), (half, "b.sqlite")] {
            let r = try OverparamBinary.run(ranks: 0, ["sweep", spec, "--store", dir.file(store), "--quiet"])
            #expect(r.status == 0, "\(r.output)")
        }
        let a = try Self.contents(dir.file("a.sqlite")), b = try Self.contents(dir.file("b.sqlite"))
        #expect(a.count == 20 && b.count == 20)
        for (index, ra) in a {
            let rb = try #require(b[index])
            #expect(rb.outputs?.dtype == "float16" && rb.outputs?.bytes.count == 100 * 10 * 2)
            let x = try #require(ra.outputs).doubles(), y = try #require(rb.outputs).doubles()
            #expect(zip(x, y).allSatisfy { abs($0 - $1) <= 1e-3 * max(1, abs($0)) })
            #expect(ra.metrics == rb.metrics)   // metrics come from the full-precision outputs
        }
    }

    /// With `outputs: none` nothing raw is stored, and analyze shows the statistics
    /// rank 0 computed live.
    @Test func outputsNoneKeepsTheLiveStatistics() throws {
        let dir = try TemporaryDirectory("e2e-none")
        defer { dir.remove() }
        let spec = try dir.write("none.yaml", Self.spec + "\noutputs: none\n")
        let store = dir.file("none.sqlite")
        let r = try OverparamBinary.run(ranks: 2, ["sweep", spec, "--store", store, "--quiet"])
        #expect(r.status == 0, "\(r.output)")
        #expect(try Self.contents(store).values.allSatisfy { $0.outputs == nil })
        let live = try #require(Self.report(after: "Fluctuations over initializations", in: r.stdout))
        let analyze = try OverparamBinary.run(ranks: 0, ["analyze", store])
        #expect(analyze.stdout.contains("as rank 0 computed them live"))
        #expect(Self.report(after: "Fluctuations over initializations", in: analyze.stdout) == live)
    }

    /// Synthetic regression sets and both precisions run end to end: regression
    /// stores MSE but no classification error, and float32 outputs are stored as float32.
    @Test func syntheticRegressionInBothPrecisions() throws {
        let dir = try TemporaryDirectory("e2e-synth")
        defer { dir.remove() }
        let spec = try dir.write("synth.yaml", """
            model: random_features
            dataset: [synthetic-toy, synthetic-linear]
            train_size: 10
            test_size: 50
            width: [5, 40]
            precision: [float32, float64]
            seeds: 2
            """)
        let store = dir.file("synth.sqlite")
        let r = try OverparamBinary.run(ranks: 2, ["sweep", spec, "--store", store, "--quiet"])
        #expect(r.status == 0, "\(r.output)")
        let s = try SweepStore.open(path: store)
        let results = try s.results()
        let tasks = try s.tasks()
        #expect(results.count == 16)
        for (t, res) in zip(tasks, results) {
            #expect(res.metrics["test_error"] == nil && res.metrics["test_mse"] != nil)
            #expect(res.outputs?.dtype == (t.config.contains("\"float32\"") ? "float32" : "float64"))
            #expect(res.outputs?.cols == 1 && res.outputs?.rows == 50)
            // Where the features span the 10 training points (1-D ReLU features need a
            // kink between neighbouring points, so not every seed does), they interpolate.
            // (In float64: float32's rounding leaves ~1e-3 where the features are ill-conditioned.)
            if res.metrics["feature_rank"] == 10 && t.config.contains("float64") {
                #expect(res.metrics["train_mse"]! < 1e-20)
            }
        }
    }

    /// Waits until no process has `marker` on its command line.
    func waitForNoProcess(matching marker: String, seconds: Double) throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let ps = try runProcess("pgrep", ["-f", marker])
            if ps.stdout.isEmpty { return }
            usleep(100_000)
        }
        Issue.record("processes still running after mpirun was killed: \(marker)")
        _ = try? runProcess("pkill", ["-9", "-f", marker])
    }
}
