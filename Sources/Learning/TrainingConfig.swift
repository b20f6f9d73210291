import Foundation

/// How the learning rate changes over epochs.
public enum LearningRateSchedule: Sendable, Equatable {
    case constant
    /// Multiply by `factor` every `every` epochs.
    case step(every: Int, factor: Double)

    public func rate(base: Double, epoch: Int) -> Double {
        switch self {
        case .constant: return base
        case .step(let every, let factor): return base * pow(factor, Double((epoch - 1) / max(1, every)))
        }
    }
}

/// Everything about a training run except the network and the data.
public struct TrainingConfig: Sendable, Equatable {
    public var loss: Loss
    public var optimizer: OptimizerKind
    public var learningRate: Double
    public var schedule: LearningRateSchedule
    /// Minibatch size; nil for full batch.
    public var batchSize: Int?
    public var maxEpochs: Int
    /// Stop once the training set is fitted: zero training error, and for hinge
    /// losses every margin y f >= 1.
    public var stopAtInterpolation: Bool
    /// Stop once the mean training loss is below this.
    public var lossTolerance: Double?
    /// Stop after this much wall time (checked between epochs).
    public var maxSeconds: Double?
    /// Epochs at which curves are recorded: about this many, log-spaced from 1 to
    /// `maxEpochs`, plus epoch 0 and the last epoch run. 0 records none.
    public var curvePoints: Int

    public init(loss: Loss, optimizer: OptimizerKind, learningRate: Double, schedule: LearningRateSchedule = .constant,
                batchSize: Int?, maxEpochs: Int, stopAtInterpolation: Bool = false, lossTolerance: Double? = nil,
                maxSeconds: Double? = nil, curvePoints: Int = 0, earlyStoppingPatience: Int? = nil) {
        self.earlyStoppingPatience = earlyStoppingPatience
        self.loss = loss
        self.optimizer = optimizer
        self.learningRate = learningRate
        self.schedule = schedule
        self.batchSize = batchSize
        self.maxEpochs = maxEpochs
        self.stopAtInterpolation = stopAtInterpolation
        self.lossTolerance = lossTolerance
        self.maxSeconds = maxSeconds
        self.curvePoints = curvePoints
    }

    /// Record curves at every epoch (early-stopping analysis), whatever `curvePoints` says.
    public var everyEpoch = false
    /// Early stopping: stop once the validation loss has not improved for this many
    /// epochs, and keep the weights of its best epoch. Needs a validation set.
    public var earlyStoppingPatience: Int?

    /// The epochs whose curves are recorded (besides the last one run).
    public var curveEpochs: Set<Int> {
        if everyEpoch { return Set(0...max(0, maxEpochs)) }
        guard curvePoints > 0, maxEpochs >= 1 else { return [] }
        var out: Set<Int> = [0, 1, maxEpochs]
        let top = log(Double(maxEpochs))
        for k in 0..<curvePoints {
            out.insert(Int((exp(top * Double(k) / Double(max(1, curvePoints - 1)))).rounded()))
        }
        return out
    }
}

/// Values recorded at some epochs: one series per metric name.
public struct TrainingCurves: Sendable, Equatable {
    public var epochs: [Int] = []
    public var series: [String: [Double]] = [:]

    public init() {}

    mutating func append(epoch: Int, _ values: [String: Double]) {
        epochs.append(epoch)
        for (name, v) in values { series[name, default: []].append(v) }
    }
}
