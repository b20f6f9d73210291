import Numerical

/// A seeded corruption of the inputs (Zhang et al. 2017, §3): each one destroys a
/// different part of the image structure while leaving the labels alone, to show that
/// a network still fits the training set.
///
/// Applied to train and test inputs alike, as in the paper, so that train and test
/// stay drawn from one distribution. Labels, targets and `classes` are unchanged.
public enum InputCorruption: String, Sendable, CaseIterable {
    /// As given; draws nothing.
    case none
    /// One random permutation of the `D` input coordinates applied to every image,
    /// train and test: the local structure is gone, but a fixed relabeling of pixels
    /// loses no information.
    case shuffledPixels = "shuffled_pixels"
    /// An independent random permutation for each image: only the multiset of each
    /// image's values (its histogram) is left.
    case randomPixels = "random_pixels"
    /// Every input value replaced by an independent draw from `N(m, s^2)`, `m` and `s`
    /// the mean and (population) standard deviation of all training input values
    /// together: nothing of the images is left.
    case gaussian

    /// The split with its inputs corrupted.
    ///
    /// Draw order, fixed because results must be bit-reproducible:
    /// - `none`: no draws.
    /// - `shuffledPixels`: one `stream.permutation(D)`.
    /// - `randomPixels`: one `stream.permutation(D)` per image, training images in
    ///   order, then test images in order.
    /// - `gaussian`: one `stream.nextNormal()` per value, training inputs row by row,
    ///   then test inputs row by row; value = `T(m + s * z)` computed in Double.
    ///
    /// A permutation `perm` moves input `perm[j]` to position `j`: new `x[i, j]` is old
    /// `x[i, perm[j]]`.
    ///
    /// Edge cases: with `D <= 1` the permutations are the identity (and still drawn).
    /// For `gaussian`, `m` and `s` are computed in Double (two passes) before anything
    /// is replaced; an empty training set gives `m = s = 0`, so every value becomes 0,
    /// and constant training inputs give `s = 0`, so every value becomes `m`.
    public func apply<T: BLASScalar>(to split: DataSplit<T>, stream: inout RandomStream) -> DataSplit<T> {
        var result = split
        switch self {
        case .none:
            break
        case .shuffledPixels:
            let perm = stream.permutation(split.inputDimension)
            result.train.inputs = Self.permutingRows(split.train.inputs) { _ in perm }
            result.test.inputs = Self.permutingRows(split.test.inputs) { _ in perm }
        case .randomPixels:
            let d = split.inputDimension
            // Train rows are all permuted before any test row: the closures run in row order.
            result.train.inputs = Self.permutingRows(split.train.inputs) { _ in stream.permutation(d) }
            result.test.inputs = Self.permutingRows(split.test.inputs) { _ in stream.permutation(d) }
        case .gaussian:
            let (mean, std) = Self.moments(split.train.inputs)
            for i in 0..<result.train.inputs.storage.count {
                result.train.inputs.storage[i] = T(mean + std * stream.nextNormal())
            }
            for i in 0..<result.test.inputs.storage.count {
                result.test.inputs.storage[i] = T(mean + std * stream.nextNormal())
            }
        }
        return result
    }

    /// `m` with row `i` gathered through `permutation(i)`, called once per row in order.
    private static func permutingRows<T: BLASScalar>(_ m: Matrix<T>, _ permutation: (Int) -> [Int]) -> Matrix<T> {
        var out = m
        let d = m.cols
        for i in 0..<m.rows {
            let perm = permutation(i)
            for j in 0..<d { out.storage[i * d + j] = m.storage[i * d + perm[j]] }
        }
        return out
    }

    /// Mean and population standard deviation of all entries; `(0, 0)` when empty.
    private static func moments<T: BLASScalar>(_ m: Matrix<T>) -> (mean: Double, std: Double) {
        let count = m.storage.count
        guard count > 0 else { return (0, 0) }
        var sum = 0.0
        for v in m.storage { sum += Double(v) }
        let mean = sum / Double(count)
        // Second pass around the mean: no cancellation, unlike E[x^2] - mean^2.
        var squares = 0.0
        for v in m.storage { let c = Double(v) - mean; squares += c * c }
        return (mean, (squares / Double(count)).squareRoot())
    }
}
