import Datasets
import Learning
import Numerical
import Testing
import TestSupport

/// K nets trained as one BLAS problem against the same nets trained one at a time.
@Suite struct EnsembleTests {
    let arch = MLPArchitecture(inputs: 4, hidden: [5, 3], outputs: 3)

    /// Forward and backward of an ensemble of 3 (one shared batch, or one batch per
    /// net) give each net's outputs and gradients as a single net computes them.
    @Test(arguments: [true, false])
    func ensemblePassesAreEachNetsPasses(sharedBatch: Bool) {
        let rows = 6, K = 3, c = arch.outputs
        var s = RandomStream(seed: 5, ["ensemble-passes"])
        let singles = (0..<K).map { _ in
            var p: [Double] = MLPNetwork<Double>.initialParameters(arch, stream: &s)
            for layer in arch.layers { for j in 0..<layer.fanOut { p[layer.biasOffset + j] = 0.1 * s.nextNormal() } }
            return p
        }
        let inputs = (0..<(sharedBatch ? 1 : K)).map { _ in (0..<(rows * 4)).map { _ in s.nextNormal() } }
        let dOut = (0..<(K * rows * c)).map { _ in s.nextNormal() }

        let ensemble = MLPNetwork<Double>(architecture: arch, capacity: rows, members: K)
        for k in 0..<K { ensemble.layout.insert(singles[k], member: k, into: &ensemble.parameters) }
        inputs.withPointers { ensemble.forward($0, rows: rows) }
        dOut.withUnsafeBufferPointer { ensemble.backward($0.baseAddress!) }

        let single = MLPNetwork<Double>(architecture: arch, capacity: rows)
        for k in 0..<K {
            single.parameters = singles[k]
            inputs[sharedBatch ? 0 : k].withUnsafeBufferPointer { single.forward($0.baseAddress!, rows: rows) }
            let f = Array(UnsafeBufferPointer(start: single.outputs, count: rows * c))
            #expect(maxAbsDifference(f, Array(UnsafeBufferPointer(start: ensemble.outputs(member: k), count: rows * c))) < 1e-13)
            single.clearGradients()
            Array(dOut[(k * rows * c)..<((k + 1) * rows * c)]).withUnsafeBufferPointer { single.backward($0.baseAddress!) }
            let g = ensemble.layout.extract(ensemble.gradients, member: k)
            #expect(maxAbsDifference(single.gradients, g) < 1e-13, "net \(k)")
            #expect(single.gradients.contains { $0 != 0 })
        }
    }

    @Test func layoutRoundTripsAndCompacts() {
        let layout = EnsembleLayout(architecture: arch, members: 4)
        let nets = (0..<4).map { k in (0..<arch.parameterCount).map { Double(k * 1000 + $0) } }
        var buffer = [Double](repeating: -1, count: layout.parameterCount)
        for k in 0..<4 { layout.insert(nets[k], member: k, into: &buffer) }
        #expect(!buffer.contains(-1))
        for k in 0..<4 { #expect(layout.extract(buffer, member: k) == nets[k]) }
        let kept = layout.compact(buffer, keeping: [3, 1], zero: 0)
        let smaller = EnsembleLayout(architecture: arch, members: 2)
        #expect(smaller.extract(kept, member: 0) == nets[3] && smaller.extract(kept, member: 1) == nets[1])
        // The first layer's weights of all nets are one stacked matrix.
        #expect(Array(buffer[0..<(4 * 5 * 4)]) == (0..<4).flatMap { nets[$0][0..<20] })
    }

    func data() -> DataSplit<Double> { TrainerTests().data() }

    /// Trains `seeds` as one ensemble and each alone, on the same streams.
    func trainBoth<T: BLASScalar>(_ config: TrainingConfig, data: DataSplit<T>, seeds: [UInt64], sharedOrder: Bool,
                                  train: (inout [RandomStream], inout [RandomStream]) -> [TrainingOutcome<T>])
        -> (together: [TrainingOutcome<T>], alone: [TrainingOutcome<T>]) {
        func inits() -> [RandomStream] { seeds.map { RandomStream(seed: $0, ["init"]) } }
        func orders() -> [RandomStream] {
            sharedOrder ? [RandomStream(seed: 99, ["shared-batches"])] : seeds.map { RandomStream(seed: $0, ["batches"]) }
        }
        var (i, o) = (inits(), orders())
        let together = train(&i, &o)
        let alone = seeds.indices.map { k in
            var (i1, o1) = ([inits()[k]], [orders()[sharedOrder ? 0 : k]])
            return train(&i1, &o1)[0]
        }
        return (together, alone)
    }

    /// Float32, Adam, minibatches: a net trained in an ensemble of 4 ends where it
    /// ends alone, within Float32 rounding, with the shared order and with its own;
    /// for narrow nets (one group of 4) and wide ones (two groups of 2).
    @Test(arguments: [(true, 32, 1), (false, 32, 1), (true, 300, 2), (false, 300, 2)])
    func batchedNetMatchesTheNetTrainedAlone(sharedOrder: Bool, width: Int, groups: Int) {
        let data = data().converted(to: Float.self)
        let arch = MLPArchitecture(inputs: 5, depth: 2, width: width, outputs: 2)
        let config = TrainingConfig(loss: .crossEntropy, optimizer: .adam(beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0),
                                    learningRate: 0.01, batchSize: 16, maxEpochs: 15, curvePoints: 3)
        let size = MLPTrainer<Float>(architecture: arch, config: config, data: data).groupSize(members: 4)
        #expect((4 + size - 1) / size == groups)
        let (together, alone) = trainBoth(config, data: data, seeds: [1, 2, 3, 4], sharedOrder: sharedOrder) {
            MLPTraining.train(architecture: arch, config: config, data: data, initStreams: &$0, batchStreams: &$1)
        }
        for (t, a) in zip(together, alone) {
            let scale = a.testOutputs.storage.map { abs(Double($0)) }.max()!
            #expect(maxAbsDifference(t.testOutputs.storage, a.testOutputs.storage)
                    <= 1e-4 * scale)
            #expect(t.epochs == a.epochs && t.curves.epochs == a.curves.epochs)
            #expect(isClose(t.metrics["train_loss"]!, a.metrics["train_loss"]!, rel: 1e-3))
        }
        // Different seeds, different nets.
        #expect(together[0].testOutputs != together[1].testOutputs)
    }

    /// Each net keeps its own stop rule: those that interpolate early leave the
    /// ensemble, the others go on, and every net stops where it stops alone.
    @Test func netsLeaveTheEnsembleWhenTheyStop() {
        let data = data()
        let arch = MLPArchitecture(inputs: 5, depth: 1, width: 8, outputs: 2)
        let config = TrainingConfig(loss: .crossEntropy, optimizer: .adam(beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0),
                                    learningRate: 0.02, batchSize: 16, maxEpochs: 400, stopAtInterpolation: true)
        let (together, alone) = trainBoth(config, data: data, seeds: Array(1...6), sharedOrder: true) {
            MLPTraining.train(architecture: arch, config: config, data: data, initStreams: &$0, batchStreams: &$1)
        }
        #expect(together.map(\.epochs) == alone.map(\.epochs))
        #expect(together.map(\.stopReason) == alone.map(\.stopReason))
        #expect(Set(together.map(\.epochs)).count > 1, "the nets should stop at different epochs: \(together.map(\.epochs))")
        for (t, a) in zip(together, alone) {
            #expect(maxAbsDifference(t.testOutputs.storage, a.testOutputs.storage) < 1e-9)
        }
    }
}

extension Array where Element == [Double] {
    /// Pointers to each inner array, valid inside `body`.
    func withPointers<R>(_ body: ([UnsafePointer<Double>]) -> R) -> R {
        func go(_ i: Int, _ acc: [UnsafePointer<Double>]) -> R {
            if i == count { return body(acc) }
            return self[i].withUnsafeBufferPointer { go(i + 1, acc + [$0.baseAddress!]) }
        }
        return go(0, [])
    }
}
