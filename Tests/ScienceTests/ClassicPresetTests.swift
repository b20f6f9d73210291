import Analysis
import Foundation
import Store
import Testing
import TestSupport

/// The classic presets at their quick sizes (issue 7), under real `mpirun -n 2`.
@Suite(.serialized) struct ClassicPresetTests {
    func run(_ preset: String) throws -> ([CellSummary], TemporaryDirectory) {
        let dir = try TemporaryDirectory("preset")
        let store = dir.file("preset.sqlite")
        let spec = OverparamBinary.packageRoot + "/sweeps/\(preset).yaml"
        let r = try OverparamBinary.run(ranks: 2, ["sweep", spec, "--store", store, "--quiet"])
        try #require(r.status == 0, "\(r.output)")
        return (try CellStatistics.summarize(try SweepStore.open(path: store)), dir)
    }

    /// Model-wise double descent with 20 % label noise: the test loss against width has
    /// its maximum strictly inside the width range, near where the training error
    /// reaches zero, and falls well below it for the widest nets.
    @Test func noisyMLPTestLossPeaksInsideTheWidthRange() throws {
        let (cells, dir) = try run("mlp-double-descent-quick")
        defer { dir.remove() }
        let loss = cells.map { $0.metrics["test_loss"]!.mean }
        let peak = loss.indices.max { loss[$0] < loss[$1] }!
        #expect(peak > 0 && peak < loss.count - 1, "test loss \(loss)")
        #expect(loss.last! < loss[peak] / 2, "test loss \(loss)")
        let firstFit = try #require(cells.firstIndex { $0.metrics["train_error"]!.mean == 0 })
        #expect(abs(firstFit - peak) <= 2, "peak at \(cells[peak].cell), interpolation at \(cells[firstFit].cell)")
    }

    /// Zhang et al.: every corruption is fitted to 100 % train accuracy; an MLP does
    /// not care that pixels are shuffled (one permutation for all images), while
    /// Gaussian inputs leave the test error at chance.
    @Test func everyInputCorruptionIsFitted() throws {
        let (cells, dir) = try run("rethinking-inputs-quick")
        defer { dir.remove() }
        var error: [String: Double] = [:]
        for c in cells {
            #expect(c.metrics["train_error"]!.mean == 0, "\(c.cell) not fitted")
            error[c.cell] = c.metrics["test_error"]!.mean
        }
        let clean = try #require(error["input_corruption=none"])
        #expect(clean < 0.3)
        #expect(abs(try #require(error["input_corruption=shuffled_pixels"]) - clean) < 0.05)
        #expect(try #require(error["input_corruption=random_pixels"]) > 0.6)
        #expect(abs(try #require(error["input_corruption=gaussian"]) - 0.9) < 0.05)
    }

    /// Zhang et al.: with label corruption p the nets still fit the training set, the
    /// test error rises towards chance, and fitting takes longer.
    @Test func corruptedLabelsAreFittedAndGeneralizationDegrades() throws {
        let (cells, dir) = try run("rethinking-labels-quick")
        defer { dir.remove() }
        #expect(cells.map(\.cell) == ["label_noise=0.0", "label_noise=0.5", "label_noise=1.0"])
        let error = cells.map { $0.metrics["test_error"]!.mean }
        let epochs = cells.map { $0.metrics["epochs"]!.mean }
        #expect(cells.allSatisfy { $0.metrics["train_error"]!.mean == 0 })
        #expect(error[0] < error[1] && error[1] < error[2] && abs(error[2] - 0.9) < 0.04, "test error \(error)")
        #expect(epochs[2] > epochs[0] && epochs[2] < 10 * epochs[0], "epochs to fit \(epochs)")
    }

    /// Zhang et al. section 5: with P = 300 < D every kernel matrix is positive
    /// definite, each interpolant has zero training error by construction, and the
    /// Gaussian and NTK ones still generalize.
    @Test func kernelInterpolantsFitExactlyAndGeneralize() throws {
        let (cells, dir) = try run("kernel-interpolation-quick")
        defer { dir.remove() }
        for c in cells {
            #expect(c.metrics["exact_interpolation"]!.mean == 1 && c.metrics["train_error"]!.mean == 0
                    && c.metrics["train_mse"]!.mean < 1e-10, "\(c.cell)")
            if !c.cell.contains("linear") {
                #expect(c.metrics["test_error"]!.mean < 0.35, "\(c.cell): \(c.metrics["test_error"]!.mean)")
            }
        }
    }

    /// Frankle & Carbin: at about 10 % of the weights (10 rounds of 20 % pruning), the
    /// ticket rewound to its initialization beats the same mask re-initialized.
    @Test func rewoundTicketBeatsRandomReinitialization() throws {
        let dir = try TemporaryDirectory("lottery")
        defer { dir.remove() }
        let store = dir.file("lottery.sqlite")
        let spec = OverparamBinary.packageRoot + "/sweeps/lottery-tickets-quick.yaml"
        let r = try OverparamBinary.run(ranks: 2, ["sweep", spec, "--store", store, "--quiet"])
        try #require(r.status == 0, "\(r.output)")
        let s = try SweepStore.open(path: store)
        let result = try #require(try s.results().first)
        let remaining = try #require(result.metrics["weights_remaining"])
        #expect(remaining > 0.09 && remaining < 0.12, "weights remaining \(remaining)")
        let ticket = try #require(result.metrics["ticket_test_error"]), reinit = try #require(result.metrics["reinit_test_error"])
        #expect(ticket < reinit, "ticket \(ticket), re-initialized \(reinit)")
        // Rounds are stored as curves (epoch = round), 0 through 10.
        let rounds = Set(try s.curves(taskIndex: 0).filter { $0.name == "weights_remaining" }.map(\.epoch))
        #expect(rounds == Set(0...10))
    }
}
