import Datasets
import Numerical

/// How iterative magnitude pruning proceeds (Frankle & Carbin 2019).
public struct PruningConfig: Sendable, Equatable {
    /// Rounds of prune-rewind-retrain after the dense run.
    public var rounds: Int
    /// Fraction of the remaining weights removed per round in hidden layers, and in the output layer.
    public var hiddenRate: Double
    public var outputRate: Double
    /// Rewind to the weights after this many epochs (0: the initialization).
    public var rewindEpoch: Int

    public init(rounds: Int, hiddenRate: Double = 0.2, outputRate: Double = 0.1, rewindEpoch: Int = 0) {
        self.rounds = rounds
        self.hiddenRate = hiddenRate
        self.outputRate = outputRate
        self.rewindEpoch = rewindEpoch
    }
}

/// One round of the lottery-ticket experiment: the ticket (pruned, rewound) and its
/// two controls trained with the same number of weights.
public struct LotteryRound: Sendable {
    public var round: Int
    /// Fraction of the prunable weights (all weights, not biases) still in the mask.
    public var weightsRemaining: Double
    /// Per variant ("ticket", "reinit", "random"): final test error, and the epoch of
    /// lowest test loss (the early-stopping point).
    public var testError: [String: Double]
    public var earlyStopEpoch: [String: Double]
}

/// Iterative magnitude pruning with rewinding, and its controls:
/// - ticket: prune the smallest-magnitude weights of the last ticket per layer,
///   rewind the rest to their initial (or early) values, retrain;
/// - reinit: the same mask with freshly drawn weights;
/// - random: a random mask with the same number of weights per layer, from the same start.
/// Each training draws its batches from its own stream, keyed by round and variant.
public enum LotteryTicket {
    static func run<T: BLASScalar>(architecture: MLPArchitecture, config: TrainingConfig, data: DataSplit<T>,
                                   pruning: PruningConfig, seed: UInt64, key: String)
        -> (rounds: [LotteryRound], last: TrainingOutcome<T>) {
        var config = config
        config.everyEpoch = true
        let trainer = MLPTrainer<T>(architecture: architecture, config: config, data: data)
        func stream(_ parts: String...) -> RandomStream { RandomStream(seed: seed, [key] + parts) }

        func train(_ variant: String, round: Int, from start: [T]?, mask: [T]?, snapshot: Int? = nil) -> TrainingOutcome<T> {
            var initStream = stream("lottery-init", variant, String(round))
            var batches = stream("lottery-batches", variant, String(round))
            return trainer.train(initStream: &initStream, batchStream: &batches, from: start, mask: mask,
                                 snapshotEpoch: snapshot)
        }
        func summary(_ o: TrainingOutcome<T>) -> (Double, Double) {
            let loss = o.curves.series["test_loss"] ?? []
            let best = loss.indices.min { loss[$0] < loss[$1] }.map { Double(o.curves.epochs[$0]) } ?? Double(o.epochs)
            return (o.metrics["test_error"] ?? .nan, best)
        }

        var dense = train("ticket", round: 0, from: nil, mask: nil, snapshot: pruning.rewindEpoch)
        let rewindTo = dense.snapshotParameters ?? dense.initialParameters
        var mask = [T](repeating: 1, count: architecture.parameterCount)
        let prunable = architecture.layers.reduce(0) { $0 + $1.fanIn * $1.fanOut }
        var rounds = [LotteryRound(round: 0, weightsRemaining: 1, testError: ["ticket": summary(dense).0],
                                   earlyStopEpoch: ["ticket": summary(dense).1])]
        var controlStream = stream("lottery-random-masks")
        for round in 1...max(1, pruning.rounds) where pruning.rounds > 0 {
            mask = prune(mask, weights: dense.finalParameters, architecture: architecture, pruning: pruning)
            let randomMask = shuffledMask(like: mask, architecture: architecture, stream: &controlStream)
            let ticket = train("ticket", round: round, from: rewindTo, mask: mask)
            let reinit = train("reinit", round: round, from: nil, mask: mask)
            let random = train("random", round: round, from: rewindTo, mask: randomMask)
            let kept = mask.indices.filter { index in
                architecture.layers.contains { $0.weightOffset <= index && index < $0.biasOffset } && mask[index] != 0
            }.count
            var r = LotteryRound(round: round, weightsRemaining: Double(kept) / Double(prunable), testError: [:],
                                 earlyStopEpoch: [:])
            for (name, o) in [("ticket", ticket), ("reinit", reinit), ("random", random)] {
                (r.testError[name], r.earlyStopEpoch[name]) = summary(o)
            }
            rounds.append(r)
            dense = ticket
        }
        return (rounds, dense)
    }

    /// Removes `rate` of each layer's remaining weights, smallest |w| first (ties by
    /// position, so the mask is deterministic). Biases are never pruned.
    static func prune<T: BLASScalar>(_ mask: [T], weights: [T], architecture: MLPArchitecture,
                                     pruning: PruningConfig) -> [T] {
        var out = mask
        for (l, layer) in architecture.layers.enumerated() {
            let rate = l == architecture.layers.count - 1 ? pruning.outputRate : pruning.hiddenRate
            let range = layer.weightOffset..<layer.biasOffset
            let alive = range.filter { mask[$0] != 0 }
            let remove = Int((Double(alive.count) * rate).rounded())
            let order = alive.sorted { abs(weights[$0]) != abs(weights[$1]) ? abs(weights[$0]) < abs(weights[$1]) : $0 < $1 }
            for i in order.prefix(remove) { out[i] = 0 }
        }
        return out
    }

    /// A random mask with the same number of kept weights in every layer as `mask`.
    static func shuffledMask<T: BLASScalar>(like mask: [T], architecture: MLPArchitecture,
                                            stream: inout RandomStream) -> [T] {
        var out = [T](repeating: 1, count: mask.count)
        for layer in architecture.layers {
            let n = layer.fanIn * layer.fanOut
            let kept = (layer.weightOffset..<layer.biasOffset).filter { mask[$0] != 0 }.count
            for i in 0..<n { out[layer.weightOffset + i] = 0 }
            for i in stream.sample(kept, from: n) { out[layer.weightOffset + i] = 1 }
        }
        return out
    }
}
