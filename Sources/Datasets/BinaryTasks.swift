import Numerical

/// Two-class tasks derived from a multi-class split, for the hinge-loss experiments
/// of Geiger et al. 2019 (arXiv 1901.01608) and Spigler et al. 2018.
///
/// Convention for every binary task: one output (`C = 1`), `classes = 2`, and
/// label `1` <-> target `+1` <-> predicted when `f(x) > 0`;
/// label `0` <-> target `-1` <-> predicted when `f(x) <= 0`.
public enum BinaryTasks {
    /// The parity of the class index: even classes (0, 2, 4, …) become label `1`,
    /// target `+1`; odd classes become label `0`, target `-1`. Applied to train and
    /// test alike; inputs are unchanged. Draws nothing.
    ///
    /// Edge cases: a split with one class (or only even labels) gives a one-sided
    /// task; parity of a negative index follows `isMultiple(of: 2)`.
    ///
    /// - Postcondition: `classes == 2`, `outputDimension == 1`, and for every example
    ///   `targets[i, 0] == (labels[i] == 1 ? +1 : -1)`.
    /// - Precondition: train and test labels are present (a classification split).
    public static func parity<T: BLASScalar>(_ split: DataSplit<T>) -> DataSplit<T> {
        func binary(_ examples: Examples<T>, part: String) -> Examples<T> {
            guard let labels = examples.labels else {
                preconditionFailure("parity needs a classification split (\(part) labels are nil)")
            }
            let even = labels.map { $0.isMultiple(of: 2) }
            return Examples(inputs: examples.inputs, labels: even.map { $0 ? 1 : 0 },
                            targets: Matrix(rows: labels.count, cols: 1, storage: even.map { $0 ? 1 : -1 }))
        }
        return DataSplit(train: binary(split.train, part: "train"), test: binary(split.test, part: "test"),
                         classes: 2)
    }
}
