import Datasets
import Learning
import Numerical
import Testing
import TestSupport

/// Backward passes against central finite differences, in Float64, for every
/// layer, activation, parameterization and loss.
@Suite struct GradientCheckTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let activation: Activation
        let parameterization: Parameterization
        let loss: Loss
        let outputs: Int
        var testDescription: String { "\(activation) \(parameterization) \(loss) C=\(outputs)" }
    }

    static let cases: [Case] = Activation.allCases.flatMap { act in
        Parameterization.allCases.flatMap { par in
            Loss.allCases.flatMap { loss in [3, 1].map { Case(activation: act, parameterization: par, loss: loss, outputs: $0) } }
        }
    }.filter { !($0.loss == .crossEntropy && $0.outputs == 1) }

    /// Mean loss over the batch for the network's current parameters.
    func meanLoss(_ net: MLPNetwork<Double>, _ x: [Double], _ y: [Double], rows: Int, loss: Loss) -> Double {
        x.withUnsafeBufferPointer { xp in
            net.forward(xp.baseAddress!, rows: rows)
        }
        return y.withUnsafeBufferPointer { yp in
            loss.evaluate(outputs: net.outputs, targets: yp.baseAddress!, rows: rows, cols: net.architecture.outputs,
                          gradient: nil, scale: 1).sum / Double(rows)
        }
    }

    @Test(arguments: cases)
    func backwardMatchesFiniteDifferences(_ c: Case) {
        let arch = MLPArchitecture(inputs: 4, hidden: [5, 3], outputs: c.outputs, activation: c.activation,
                                   parameterization: c.parameterization)
        let rows = 6
        let net = MLPNetwork<Double>(architecture: arch, capacity: rows)
        var s = RandomStream(seed: 11, ["gradcheck", c.testDescription])
        net.initialize(stream: &s)
        // Nonzero biases, so their gradients are exercised away from the initial point.
        for layer in arch.layers { for j in 0..<layer.fanOut { net.parameters[layer.biasOffset + j] = 0.1 * s.nextNormal() } }
        let x = (0..<(rows * 4)).map { _ in s.nextNormal() }
        var y = [Double](repeating: 0, count: rows * c.outputs)
        for r in 0..<rows {
            if c.outputs == 1 { y[r] = s.nextUniform() < 0.5 ? -1 : 1 }
            else if c.loss == .mse { for j in 0..<c.outputs { y[r * c.outputs + j] = s.nextNormal() } }
            else { y[r * c.outputs + s.nextInt(below: c.outputs)] = 1 }
        }

        // Analytic gradient.
        _ = meanLoss(net, x, y, rows: rows, loss: c.loss)
        var dOut = [Double](repeating: 0, count: rows * c.outputs)
        y.withUnsafeBufferPointer { yp in
            dOut.withUnsafeMutableBufferPointer { g in
                _ = c.loss.evaluate(outputs: net.outputs, targets: yp.baseAddress!, rows: rows, cols: c.outputs,
                                    gradient: g.baseAddress!, scale: 1 / Double(rows))
            }
        }
        x.withUnsafeBufferPointer { xp in net.forward(xp.baseAddress!, rows: rows) }
        dOut.withUnsafeBufferPointer { net.backward($0.baseAddress!) }
        let analytic = net.gradients

        // Central differences on every parameter.
        let h = 1e-6
        var worst = 0.0
        for i in 0..<arch.parameterCount {
            let saved = net.parameters[i]
            net.parameters[i] = saved + h
            let up = meanLoss(net, x, y, rows: rows, loss: c.loss)
            net.parameters[i] = saved - h
            let down = meanLoss(net, x, y, rows: rows, loss: c.loss)
            net.parameters[i] = saved
            let numeric = (up - down) / (2 * h)
            worst = max(worst, abs(numeric - analytic[i]) / max(1e-4, abs(numeric) + abs(analytic[i])))
        }
        #expect(worst < 1e-5, "worst relative gradient error \(worst)")
        #expect(analytic.contains { $0 != 0 })
    }
}

@Suite struct OptimizerTests {
    /// Two Adam steps against a hand computation (PyTorch's formula).
    @Test func adamMatchesHandComputation() {
        var opt = Optimizer<Double>(kind: .adam(beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0), parameterCount: 2)
        var w = [1.0, -2.0]
        var g = [0.5, -1.0]
        opt.update(&w, gradient: &g, learningRate: 0.1)
        #expect(g == [0, 0], "the step consumes the gradient")
        // Step 1: m = 0.1 g, v = 0.001 g^2; mhat = g, vhat = g^2: w -= 0.1 * g / (|g| + eps).
        #expect(isClose(w[0], 1 - 0.1 * 0.5 / (0.5 + 1e-8), rel: 1e-14))
        #expect(isClose(w[1], -2 + 0.1 * 1.0 / (1.0 + 1e-8), rel: 1e-14))
        g = [0.25, 0]
        opt.update(&w, gradient: &g, learningRate: 0.1)
        let m = 0.9 * 0.05 + 0.1 * 0.25, v = 0.999 * 0.00025 + 0.001 * 0.0625
        let mhat = m / (1 - 0.81), vhat = v / (1 - 0.999 * 0.999)
        #expect(isClose(w[0], 1 - 0.1 * 0.5 / (0.5 + 1e-8) - 0.1 * mhat / (vhat.squareRoot() + 1e-8), rel: 1e-12))
    }

    @Test func sgdMomentumAndWeightDecay() {
        var opt = Optimizer<Double>(kind: .sgd(momentum: 0.9, weightDecay: 0.1), parameterCount: 1)
        var w = [2.0]
        var g = [1.0]
        opt.update(&w, gradient: &g, learningRate: 0.5)     // v = 1 + 0.2 = 1.2
        #expect(g == [0])
        #expect(isClose(w[0], 2 - 0.6))
        g = [1.0]
        opt.update(&w, gradient: &g, learningRate: 0.5)     // v = 0.9*1.2 + 1 + 0.14 = 2.22
        #expect(isClose(w[0], 1.4 - 0.5 * 2.22))
    }

    @Test func stepSchedule() {
        let s = LearningRateSchedule.step(every: 10, factor: 0.5)
        #expect(s.rate(base: 1, epoch: 1) == 1 && s.rate(base: 1, epoch: 10) == 1 && s.rate(base: 1, epoch: 11) == 0.5)
    }
}

@Suite struct TrainerTests {
    func data() -> DataSplit<Double> {
        var s = RandomStream(seed: 3, ["trainer-data"])
        func examples(_ n: Int) -> Examples<Double> {
            let x: Matrix<Double> = s.normalMatrix(rows: n, cols: 5)
            let labels = (0..<n).map { i in x[i, 0] + x[i, 1] > 0 ? 1 : 0 }
            var y = Matrix<Double>(rows: n, cols: 2)
            for i in 0..<n { y[i, labels[i]] = 1 }
            return Examples(inputs: x, labels: labels, targets: y)
        }
        return DataSplit(train: examples(64), test: examples(32), classes: 2)
    }

    func train(_ config: TrainingConfig, seed: UInt64 = 1) -> TrainingOutcome<Double> {
        var a = RandomStream(seed: seed, ["init"]), b = RandomStream(seed: seed, ["batches"])
        let arch = MLPArchitecture(inputs: 5, depth: 2, width: 32, outputs: 2)
        return MLPTraining.train(architecture: arch, config: config, data: data(), initStream: &a, batchStream: &b)
    }

    let adam = OptimizerKind.adam(beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0)

    @Test func sameStreamsSameBits() {
        let config = TrainingConfig(loss: .crossEntropy, optimizer: adam, learningRate: 0.01, batchSize: 16, maxEpochs: 5)
        let a = train(config), b = train(config), c = train(config, seed: 2)
        #expect(a.testOutputs == b.testOutputs)
        #expect(a.testOutputs != c.testOutputs)
    }

    @Test func stopsAtInterpolationAndRecordsCurves() {
        let config = TrainingConfig(loss: .crossEntropy, optimizer: adam, learningRate: 0.01, batchSize: 16,
                                    maxEpochs: 500, stopAtInterpolation: true, curvePoints: 5)
        let out = train(config)
        #expect(out.stopReason == "interpolation" && out.epochs < 500)
        #expect(out.metrics["train_error"] == 0)
        #expect(out.curves.epochs.first == 0 && out.curves.epochs.last == out.epochs)
        #expect(out.curves.series["train_error"]?.last == 0)
        #expect(out.curves.series.keys.contains("weight_distance") && out.curves.series.keys.contains("test_output_norm"))
    }

    @Test func quadraticHingeStopsWhenEveryMarginIsSatisfied() {
        let config = TrainingConfig(loss: .quadraticHinge, optimizer: adam, learningRate: 0.01, batchSize: nil,
                                    maxEpochs: 3000, stopAtInterpolation: true)
        let out = train(config)
        #expect(out.stopReason == "interpolation")
        #expect(out.metrics["train_unsatisfied"] == 0)
    }

    @Test func divergenceIsReported() {
        let config = TrainingConfig(loss: .mse, optimizer: .sgd(momentum: 0, weightDecay: 0), learningRate: 1e6,
                                    batchSize: 16, maxEpochs: 50)
        let out = train(config)
        #expect(out.diverged && out.stopReason == "diverged")
    }
}

@Suite struct PruningTests {
    /// Masked weights start at zero and are still exactly zero after training, with
    /// Adam and with SGD momentum and weight decay.
    @Test(arguments: [OptimizerKind.adam(beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0.01),
                      .sgd(momentum: 0.9, weightDecay: 0.01)])
    func prunedWeightsStayExactlyZero(optimizer: OptimizerKind) {
        let data = TrainerTests().data()
        let arch = MLPArchitecture(inputs: 5, hidden: [16, 8], outputs: 2)
        var s = RandomStream(seed: 1, ["mask"])
        let mask: [Double] = (0..<arch.parameterCount).map { _ in s.nextUniform() < 0.5 ? 0 : 1 }
        let config = TrainingConfig(loss: .crossEntropy, optimizer: optimizer, learningRate: 0.01, batchSize: 16, maxEpochs: 20)
        var a = RandomStream(seed: 2, ["init"]), b = RandomStream(seed: 2, ["batches"])
        let out = MLPTrainer<Double>(architecture: arch, config: config, data: data)
            .train(initStream: &a, batchStream: &b, mask: mask)
        #expect(zip(mask, out.finalParameters).allSatisfy { $0 == 1 || $1 == 0 })
        #expect(zip(mask, out.finalParameters).contains { $0 == 1 && $1 != 0 })
    }

    @Test func lotteryRoundsPruneTheRightFractions() {
        let data = TrainerTests().data()
        let arch = MLPArchitecture(inputs: 5, hidden: [40, 20], outputs: 2)
        let config = TrainingConfig(loss: .crossEntropy, optimizer: .adam(beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0),
                                    learningRate: 0.01, batchSize: 16, maxEpochs: 3)
        let out = MLPTraining.lottery(architecture: arch, config: config, data: data,
                                      pruning: PruningConfig(rounds: 3, hiddenRate: 0.5, outputRate: 0.5),
                                      seed: 1, key: "test")
        #expect(out.rounds.map(\.round) == [0, 1, 2, 3])
        // Half of every layer's remaining weights per round: 1, 1/2, 1/4, 1/8 (to rounding).
        for (r, expected) in zip(out.rounds, [1.0, 0.5, 0.25, 0.125]) {
            #expect(abs(r.weightsRemaining - expected) < 0.01, "round \(r.round): \(r.weightsRemaining)")
        }
        #expect(out.rounds.last!.testError.keys.sorted() == ["random", "reinit", "ticket"])
    }
}

@Suite struct EarlyStoppingTests {
    /// With noisy labels the validation loss turns up; early stopping halts within the
    /// patience of its best epoch and keeps that epoch's weights.
    @Test func stopsAfterPatienceAndKeepsTheBestWeights() {
        var s = RandomStream(seed: 12, ["early"])
        func examples(_ n: Int) -> Examples<Double> {
            let x: Matrix<Double> = s.normalMatrix(rows: n, cols: 5)
            let labels = (0..<n).map { i in s.nextUniform() < 0.4 ? s.nextInt(below: 2) : (x[i, 0] > 0 ? 1 : 0) }
            var y = Matrix<Double>(rows: n, cols: 2)
            for i in 0..<n { y[i, labels[i]] = 1 }
            return Examples(inputs: x, labels: labels, targets: y)
        }
        var data = DataSplit(train: examples(200), test: examples(100), classes: 2)
        data.validation = examples(100)
        let config = TrainingConfig(loss: .crossEntropy, optimizer: .adam(beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0),
                                    learningRate: 0.01, batchSize: 20, maxEpochs: 2000, earlyStoppingPatience: 10)
        var a = RandomStream(seed: 3, ["init"]), b = RandomStream(seed: 3, ["batches"])
        let out = MLPTraining.train(architecture: MLPArchitecture(inputs: 5, depth: 2, width: 64, outputs: 2),
                                    config: config, data: data, initStream: &a, batchStream: &b)
        #expect(out.stopReason == "early_stopping")
        let best = try! #require(out.metrics["best_epoch"])
        #expect(Double(out.epochs) == best + 10)
        #expect(out.metrics["validation_loss"] != nil)
    }

    @Test func holdingOutMovesTheLastTrainingExamples() {
        let x = Matrix<Double>([[0], [1], [2], [3]]), y = Matrix<Double>([[1, 0], [0, 1], [1, 0], [0, 1]])
        let split = DataSplit(train: Examples(inputs: x, labels: [0, 1, 0, 1], targets: y),
                              test: Examples(inputs: x, labels: [0, 1, 0, 1], targets: y), classes: 2).holdingOut(1)
        #expect(split.train.count == 3 && split.validation?.count == 1 && split.validation?.inputs[0, 0] == 3)
    }
}
