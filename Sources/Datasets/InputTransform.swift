import Foundation
import Numerical

/// How inputs are prepared before a model sees them. Statistics come from the
/// training set only and are applied unchanged to the test set.
public enum InputTransform: String, Sendable, CaseIterable {
    /// As loaded (pixels in [0, 1]).
    case none
    /// Subtract the training mean of each input. Raw pixels are all >= 0 and strongly
    /// correlated, so a random ReLU feature w.x is then on for nearly all samples or
    /// nearly none; the near-empty features make the readout ill-conditioned far from
    /// N = P. Centering removes that artifact.
    case center
    /// Center, then divide each input by its training standard deviation (inputs that
    /// are constant in training, like blank corner pixels, stay 0).
    case standardize
    /// Center, then scale each sample to norm sqrt(D) (the sphere of Geiger et al.).
    case sphere

    public func apply<T: BLASScalar>(to split: DataSplit<T>) -> DataSplit<T> {
        guard self != .none else { return split }
        let x = split.train.inputs
        let d = x.cols, n = max(1, x.rows)
        var mean = [Double](repeating: 0, count: d)
        for i in 0..<x.rows { for j in 0..<d { mean[j] += Double(x[i, j]) } }
        for j in 0..<d { mean[j] /= Double(n) }
        var scale = [Double](repeating: 1, count: d)
        if self == .standardize {
            var variance = [Double](repeating: 0, count: d)
            for i in 0..<x.rows { for j in 0..<d { let c = Double(x[i, j]) - mean[j]; variance[j] += c * c } }
            for j in 0..<d {
                let std = (variance[j] / Double(n)).squareRoot()
                scale[j] = std > 1e-12 ? 1 / std : 0
            }
        }
        func transform(_ m: Matrix<T>) -> Matrix<T> {
            var out = m
            for i in 0..<m.rows {
                var norm2 = 0.0
                for j in 0..<d {
                    let v = (Double(m[i, j]) - mean[j]) * scale[j]
                    out[i, j] = T(v)
                    norm2 += v * v
                }
                if self == .sphere && norm2 > 0 {
                    let s = (Double(d) / norm2).squareRoot()
                    for j in 0..<d { out[i, j] = T(Double(out[i, j]) * s) }
                }
            }
            return out
        }
        var result = split
        result.train.inputs = transform(split.train.inputs)
        result.test.inputs = transform(split.test.inputs)
        result.validation?.inputs = transform(split.validation!.inputs)
        return result
    }
}
