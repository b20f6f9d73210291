import Foundation
import Store
import Testing
import TestSupport

/// Trained-network claims of issue 5, through real `mpirun -n 2` sweeps.
@Suite(.serialized) struct MLPScienceTests {
    static var full: Bool { ProcessInfo.processInfo.environment["OVERPARAM_SCIENCE"] == "full" }

    func sweep(_ name: String, _ spec: String) throws -> (SweepStore, TemporaryDirectory) {
        let dir = try TemporaryDirectory("science-\(name)")
        let path = try dir.write("\(name).yaml", spec)
        let store = dir.file("\(name).sqlite")
        let r = try OverparamBinary.run(ranks: 2, ["sweep", path, "--store", store, "--quiet"])
        try #require(r.status == 0, "\(r.output)")
        return (try SweepStore.open(path: store), dir)
    }

    /// The "overfitting neural networks" post: a 5x100 ReLU MLP (40,701 parameters),
    /// Adam lr 0.01, 200 epochs, 100 points of y = 3 + 0.7x + N(0, 2^2) on [0, 20]:
    /// its fit stays within the noise level of the least-squares line.
    @Test func hugeNetworkFitStaysCloseToTheLinearRegressionLine() throws {
        let (store, dir) = try sweep("regression", """
            model: mlp
            dataset: synthetic-linear
            train_size: 100
            test_size: 1000
            depth: 5
            width: 100
            loss: mse
            optimizer: adam
            learning_rate: 0.01
            batch_size: 32
            epochs: 200
            precision: float64
            seeds: \(Self.full ? 10 : 4)
            """)
        defer { dir.remove() }
        let results = try store.results()
        #expect(results.count == (Self.full ? 10 : 4))
        for r in results {
            #expect(r.metrics["parameters"] == 40_701)
            let gap = try #require(r.metrics["linear_fit_gap"])
            #expect(gap < 2, "seed \(r.taskIndex): RMS distance to the least-squares line \(gap)")
        }
        let gaps = results.compactMap { $0.metrics["linear_fit_gap"] }
        print("regression post: RMS gap to the least-squares line per seed: \(gaps)")
    }

    /// Zhang et al.: a 1x512 MLP fits random labels of 1000 Fashion-MNIST images to
    /// 100 % train accuracy while its test accuracy is chance; on true labels it
    /// generalizes (over 80 % test accuracy).
    @Test func randomLabelsAreFittedAndTrueLabelsGeneralize() throws {
        let (store, dir) = try sweep("random-labels", """
            model: mlp
            dataset: fashion-mnist
            train_size: 1000
            test_size: 2000
            width: 512
            label_noise: [0, 1]
            batch_size: 100
            learning_rate: 0.001
            epochs: 300
            stop: interpolation
            curve_points: 10
            seeds: 2
            """)
        defer { dir.remove() }
        let tasks = try store.tasks()
        for r in try store.results() {
            let random = tasks[r.taskIndex].cell.contains("label_noise=1.0")
            #expect(r.metrics["train_error"] == 0, "\(tasks[r.taskIndex].id) did not fit: \(r.metrics)")
            #expect(r.message == "stop: interpolation")
            let testError = try #require(r.metrics["test_error"])
            if random {
                #expect(abs(testError - 0.9) < 0.04, "random labels: test error \(testError), chance is 0.9")
            } else {
                #expect(testError < 0.2, "true labels: test error \(testError)")
            }
            // The curves record the fit: train error falls to 0 at the last recorded epoch.
            let curve = try store.curves(taskIndex: r.taskIndex).filter { $0.name == "train_error" }
            #expect(curve.first?.epoch == 0 && curve.last?.value == 0)
            print("\(tasks[r.taskIndex].id): epochs \(r.metrics["epochs"]!), test error \(testError)")
        }
    }
}
