import Numerical

/// `n` training or test examples ready for a model: inputs and targets as matrices.
public struct Examples<T: BLASScalar>: Sendable, Equatable {
    /// `n` x `D`.
    public var inputs: Matrix<T>
    /// The class index of each example; `nil` for regression.
    public var labels: [Int]?
    /// `n` x `C`: one-hot rows for classification, the target values for regression.
    public var targets: Matrix<T>

    /// - Precondition: `inputs`, `targets` (and `labels`, if any) have the same number of rows.
    public init(inputs: Matrix<T>, labels: [Int]?, targets: Matrix<T>) {
        precondition(inputs.rows == targets.rows, "\(inputs.rows) inputs but \(targets.rows) targets")
        precondition(labels.map { $0.count == inputs.rows } ?? true, "labels and inputs differ in count")
        self.inputs = inputs
        self.labels = labels
        self.targets = targets
    }

    /// Number of examples.
    public var count: Int { inputs.rows }

    /// The same examples in another precision (labels unchanged).
    public func converted<U: BLASScalar>(to: U.Type = U.self) -> Examples<U> {
        Examples<U>(inputs: inputs.converted(to: U.self), labels: labels, targets: targets.converted(to: U.self))
    }
}

/// A train set and a test set drawn from one source.
public struct DataSplit<T: BLASScalar>: Sendable, Equatable {
    public var train: Examples<T>
    public var test: Examples<T>
    /// Held-out examples for early stopping, taken from the training file; nil when none.
    public var validation: Examples<T>?
    /// Number of classes; 0 for regression.
    public var classes: Int
    /// `D`: columns of `inputs`.
    public var inputDimension: Int
    /// `C`: columns of `targets`.
    public var outputDimension: Int

    /// - Precondition: train and test agree on `D` and `C`.
    public init(train: Examples<T>, test: Examples<T>, classes: Int) {
        precondition(train.inputs.cols == test.inputs.cols && train.targets.cols == test.targets.cols,
                     "train and test differ in input or output dimension")
        self.train = train
        self.test = test
        self.classes = classes
        self.inputDimension = train.inputs.cols
        self.outputDimension = train.targets.cols
    }

    /// The same split in another precision.
    public func converted<U: BLASScalar>(to: U.Type = U.self) -> DataSplit<U> {
        var out = DataSplit<U>(train: train.converted(to: U.self), test: test.converted(to: U.self), classes: classes)
        out.validation = validation?.converted(to: U.self)
        return out
    }

    /// Moves the last `count` training examples into `validation`.
    public func holdingOut(_ count: Int) -> DataSplit<T> {
        precondition(count >= 0 && count < train.count, "cannot hold out \(count) of \(train.count) training examples")
        guard count > 0 else { return self }
        let keep = Array(0..<(train.count - count)), held = Array((train.count - count)..<train.count)
        func part(_ rows: [Int]) -> Examples<T> {
            Examples(inputs: train.inputs.gatherRows(rows), labels: train.labels.map { l in rows.map { l[$0] } },
                     targets: train.targets.gatherRows(rows))
        }
        var out = DataSplit(train: part(keep), test: test, classes: classes)
        out.validation = part(held)
        return out
    }
}
