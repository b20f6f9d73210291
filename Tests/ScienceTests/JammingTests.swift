import Analysis
import Foundation
import Store
import Testing
import TestSupport

/// Geiger et al.'s jamming picture at the quick size of sweeps/jamming.yaml
/// (OVERPARAM_SCIENCE=full runs the preset itself, about 30 minutes).
@Suite(.serialized) struct JammingTests {
    @Test func quickPresetShowsAJammingPointAndShrinkingFluctuations() throws {
        let full = ProcessInfo.processInfo.environment["OVERPARAM_SCIENCE"] == "full"
        let spec = OverparamBinary.packageRoot + (full ? "/sweeps/jamming.yaml" : "/sweeps/jamming-quick.yaml")
        let dir = try TemporaryDirectory("science-jamming")
        defer { dir.remove() }
        let store = dir.file("jamming.sqlite")
        let r = try OverparamBinary.run(ranks: 2, ["sweep", spec, "--store", store, "--quiet"], timeout: 3600)
        try #require(r.status == 0, "\(r.output)")

        let cells = try CellStatistics.summarize(try SweepStore.open(path: store))
        let group = try #require(ScalingGroup.groups(cells).first)
        let jam = try #require(group.jamming, "no width fits every training margin")
        // Below N* the smallest net cannot fit the parity task; from N* on every seed does.
        #expect(group.cells.first!.fitted < group.cells.first!.ok)
        let beyond = group.cells.filter { (ScalingGroup.size($0) ?? 0) >= jam.n }
        #expect(beyond.count >= 2)
        for c in beyond {
            #expect(c.fitted == c.ok && (c.metrics["train_unsatisfied"]?.mean ?? 1) == 0)
            // The ensemble average is no worse than a single net (a 1 % slack at this size).
            let single = try #require(c.errorBySize.first?.error), ensemble = try #require(c.ensemble["test_error"])
            #expect(ensemble <= single + (full ? 0 : 0.01), "\(c.cell): eps(f̄) \(ensemble) > eps_N \(single)")
        }
        // Fluctuations shrink from the smallest net to the largest.
        let fluctuations = group.cells.compactMap(\.fluctuation)
        #expect(fluctuations.last! < fluctuations.first!)
        print("jamming: N* = \(jam.n); ||f - f̄||^2 by size: \(fluctuations)")
    }
}
