import Analysis
import Numerical
import Store
import Testing
import TestSupport

@Suite struct RunningMomentsTests {
    @Test func matchesTwoPass() {
        var s = RandomStream(seed: 4, ["moments"])
        let xs = (0..<1000).map { _ in 3 + 2 * s.nextNormal() }
        var m = RunningMoments()
        xs.forEach { m.add($0) }
        let mean = xs.reduce(0, +) / Double(xs.count)
        let variance = xs.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(xs.count - 1)
        #expect(isClose(m.mean, mean, rel: 1e-12))
        #expect(isClose(m.variance, variance, rel: 1e-10))
        var one = RunningMoments()
        one.add(5)
        #expect(one.variance == 0 && one.mean == 5)
    }
}

@Suite struct EnsembleTests {
    @Test func ensembleMetricsOfOneHot() {
        // Two samples, three classes: first right, second wrong.
        let f: [Double] = [0.9, 0.1, 0, 0.2, 0.3, 0.5]
        let y: [Double] = [1, 0, 0, 0, 1, 0]
        let m = EnsembleMetrics.evaluate(f, targets: y, rows: 2, cols: 3)
        #expect(m["test_error"] == 0.5)
        #expect(isClose(m["test_mse"]!, ((0.01 + 0.01) + (0.04 + 0.49 + 0.25)) / 2))
        #expect(EnsembleMetrics.evaluate([1, 2], targets: [0.5, 2], rows: 2, cols: 1)["test_error"] == nil)
        #expect(EnsembleMetrics.evaluate([1, 2], targets: [1, 1], rows: 2, cols: 1, classification: false)["test_error"] == nil)
        #expect(EnsembleMetrics.evaluate([1, -2], targets: [1, 1], rows: 2, cols: 1)["test_error"] == 0.5)
    }

    /// The streaming summary of a store equals a two-pass computation over its raw outputs.
    @Test func summaryEqualsTwoPassOverStoredOutputs() throws {
        let dir = try TemporaryDirectory("analysis")
        defer { dir.remove() }
        let tasks = (0..<6).map { i in
            TaskRecord(index: i, id: "w=\(i / 3),seed=\(i % 3)", cell: "w=\(i / 3)", seed: i % 3, config: "{}", cost: 1)
        }
        let store = try SweepStore.create(path: dir.file("s.sqlite"), specText: "x", specFingerprint: "f",
                                          tasks: tasks, provenance: [:])
        var rng = RandomStream(seed: 1, ["outputs"])
        let targets: [Double] = [1, 0, 0, 1, 1, 0, 0, 1]   // 4 samples, 2 classes
        try store.storeTargets(dataKey: "d", OutputArray(float64: targets, rows: 4, cols: 2))
        var raw: [Int: [Double]] = [:]
        for t in tasks.reversed() {   // arrival order must not matter
            let out = (0..<8).map { _ in rng.nextNormal() }
            raw[t.index] = out
            try store.record(ResultRecord(taskIndex: t.index, status: "ok", metrics: ["test_mse": Double(t.index)],
                                          wallSeconds: 0, rank: 0, host: "h",
                                          outputs: OutputArray(float64: out, rows: 4, cols: 2), dataKey: "d"))
        }
        let cells = try CellStatistics.summarize(store)
        #expect(cells.map(\.cell) == ["w=0", "w=1"])
        for (c, cell) in cells.enumerated() {
            let members = (0..<3).map { raw[3 * c + $0]! }
            let mean = (0..<8).map { j in members.map { $0[j] }.reduce(0, +) / 3 }
            let expected = EnsembleMetrics.evaluate(mean, targets: targets, rows: 4, cols: 2)
            #expect(isClose(cell.ensemble["test_mse"]!, expected["test_mse"]!, rel: 1e-12))
            #expect(cell.ensemble["test_error"] == expected["test_error"])
            #expect(cell.metrics["test_mse"]!.mean == Double(3 * c + 1))
            #expect(cell.ok == 3 && cell.ensembleSize == 3)
        }
    }
}

@Suite struct EnsembleAccumulatorTests {
    /// The streaming statistics equal a two-pass computation over the raw outputs.
    @Test func streamingEqualsTwoPass() {
        var rng = RandomStream(seed: 5, ["acc"])
        let rows = 7, cols = 3, members = 9
        let targets: [Double] = (0..<rows).flatMap { r in (0..<cols).map { $0 == r % cols ? 1.0 : 0.0 } }
        let outputs = (0..<members).map { _ in (0..<(rows * cols)).map { _ in rng.nextNormal() } }
        var acc = EnsembleAccumulator(rows: rows, cols: cols, classification: true, members: members)
        outputs.forEach { acc.add($0, targets: targets) }

        let mean = (0..<(rows * cols)).map { i in outputs.map { $0[i] }.reduce(0, +) / Double(members) }
        #expect(maxAbsDifference(acc.ensembleMean, mean) < 1e-14)
        var squares = 0.0
        for f in outputs { for i in f.indices { squares += (f[i] - mean[i]) * (f[i] - mean[i]) } }
        #expect(isClose(acc.fluctuation, squares / Double(members * rows), rel: 1e-12))
        // Ensembles of 2 and 4: consecutive groups, the incomplete tail ignored.
        let sizes = acc.errorBySize
        #expect(sizes.map(\.size) == [1, 2, 4, 8] && sizes.map(\.groups) == [9, 4, 2, 1])
        for (size, error, groups) in sizes where size > 1 {
            let expected = (0..<groups).map { g -> Double in
                let avg = (0..<(rows * cols)).map { i in (0..<size).map { outputs[g * size + $0][i] }.reduce(0, +) / Double(size) }
                return acc.error(avg, targets)
            }.reduce(0, +) / Double(groups)
            #expect(isClose(error, expected, rel: 1e-12), "size \(size)")
        }
        #expect(acc.memberErrors.count == members)
    }

    @Test func binaryOutputsUseTheSign() {
        let acc = EnsembleAccumulator(rows: 4, cols: 1, classification: true, members: 1)
        #expect(acc.error([0.5, -2, 0.1, -0.1], [1, -1, -1, 1]) == 0.5)
        let regression = EnsembleAccumulator(rows: 2, cols: 1, classification: false, members: 1)
        #expect(regression.error([1, 3], [0, 1]) == 2.5)
    }

    @Test func bootstrapIntervalCoversTheMeanAndIsReproducible() {
        let values = (0..<20).map { Double($0 % 5) }
        let a = Bootstrap.meanInterval(values, key: "k")!, b = Bootstrap.meanInterval(values, key: "k")!
        #expect(a.low == b.low && a.high == b.high)
        #expect(a.low < 2 && a.high > 2 && a.low > 1 && a.high < 3)
        #expect(Bootstrap.meanInterval([1], key: "k") == nil)
    }
}
