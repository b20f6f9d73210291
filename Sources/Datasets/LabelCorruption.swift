import Numerical

/// How a corrupted training label is replaced (Zhang et al. 2017, §3; Nakkiran et al. 2019).
public enum LabelNoiseMode: String, Sendable, CaseIterable {
    /// A selected example gets a label drawn uniformly from all `K` classes, so it keeps
    /// its true label with probability `1/K`: the rate of changed labels is `p (1 - 1/K)`.
    /// With `p = 1` this is Zhang et al.'s "random labels".
    case uniform
    /// A selected example gets a label drawn uniformly from the `K - 1` other classes,
    /// so every selected label changes: the rate of changed labels is `p`.
    case flip
}

/// Seeded corruptions of a data split for the memorization experiments.
public enum Corruption {
    /// The split with a random fraction of its training labels replaced; test labels,
    /// all inputs and `classes` are unchanged, so test accuracy still measures the
    /// clean task.
    ///
    /// Draw order, fixed because results must be bit-reproducible: for each training
    /// example in order, one `stream.nextUniform()` `u` (the example is selected when
    /// `u < p`), then, only if it was selected and before the next example's `u`, the
    /// replacement:
    /// - `uniform`: `stream.nextInt(below: K)`, taken as the new label;
    /// - `flip`: `r = stream.nextInt(below: K - 1)`; the new label is `r` if `r < y`,
    ///   else `r + 1` (`y` the true label), i.e. the `r`-th class other than `y`.
    ///
    /// So exactly `n` uniforms are drawn whatever `p`, plus one integer per selected
    /// example. `p = 0` selects nothing (`u >= 0`); `p = 1` selects everything (`u < 1`).
    ///
    /// - Returns: the corrupted split and `mask`, with one entry per training example,
    ///   `true` exactly where the new label differs from the old one. For `uniform`, an
    ///   example that was selected but redrew its own label is `false`; for `flip`,
    ///   `mask` is the selection itself.
    /// - Postcondition: the training targets are exactly the one-hot rows of the new
    ///   labels (`1` at the label, `0` elsewhere), `K` wide.
    /// - Precondition: a classification split (training labels present, `K = classes
    ///   >= 2`, every training label in `0..<K`) whose targets are one-hot, `K` columns
    ///   wide (corrupt before `BinaryTasks.parity`, which derives from the labels);
    ///   `p` in `[0, 1]`.
    public static func corruptLabels<T: BLASScalar>(
        _ split: DataSplit<T>, probability p: Double, mode: LabelNoiseMode, stream: inout RandomStream
    ) -> (split: DataSplit<T>, mask: [Bool]) {
        precondition(p >= 0 && p <= 1, "label noise probability \(p) is outside [0, 1]")
        guard let labels = split.train.labels else {
            preconditionFailure("label corruption needs a classification split (training labels are nil)")
        }
        let k = split.classes
        precondition(k >= 2, "label corruption needs at least 2 classes, split has \(k)")
        precondition(split.outputDimension == k,
                     "label corruption rebuilds one-hot targets \(k) wide, split has \(split.outputDimension) outputs")

        var newLabels = labels
        var mask = [Bool](repeating: false, count: labels.count)
        for (i, y) in labels.enumerated() {
            precondition(y >= 0 && y < k, "training label \(y) of example \(i) is outside 0..<\(k)")
            guard stream.nextUniform() < p else { continue }
            let replacement: Int
            switch mode {
            case .uniform:
                replacement = stream.nextInt(below: k)
            case .flip:
                // Skip over y: 0..<K-1 maps onto the K-1 classes other than y.
                let r = stream.nextInt(below: k - 1)
                replacement = r < y ? r : r + 1
            }
            newLabels[i] = replacement
            mask[i] = replacement != y
        }

        var targets = Matrix<T>(rows: labels.count, cols: k)
        for (i, y) in newLabels.enumerated() { targets[i, y] = 1 }
        var result = split
        result.train = Examples(inputs: split.train.inputs, labels: newLabels, targets: targets)
        return (result, mask)
    }
}
