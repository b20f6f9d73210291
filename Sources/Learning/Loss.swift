import Foundation
import Numerical

/// Training losses, each averaged over the samples of a batch.
///
/// Classification targets are one-hot rows (C > 1) or, for binary tasks, one
/// column of +-1. Hinge losses read targets as +-1: one-hot rows are mapped to
/// 2t - 1 (one-versus-all).
public enum Loss: String, Sendable, CaseIterable {
    /// Softmax cross-entropy: -log softmax(f)_y.
    case crossEntropy = "cross_entropy"
    /// Squared error summed over outputs: ||f - y||^2.
    case mse
    /// sum over outputs of max(0, 1 - y f).
    case hinge
    /// sum over outputs of 0.5 max(0, 1 - y f)^2 (Geiger et al.).
    case quadraticHinge = "quadratic_hinge"

    public var isHinge: Bool { self == .hinge || self == .quadraticHinge }

    /// The loss's value over `rows` samples, with dLoss/df written to `gradient`
    /// (both rows x cols). Returns the summed loss (divide by the sample count for
    /// the mean) and the number of unsatisfied margins y f < 1 (hinge losses; 0 otherwise).
    ///
    /// `scale` multiplies the gradient: 1/B for a batch mean.
    public func evaluate<T: BLASScalar>(
        outputs f: UnsafePointer<T>, targets y: UnsafePointer<T>, rows: Int, cols: Int,
        gradient: UnsafeMutablePointer<T>?, scale: T
    ) -> (sum: Double, unsatisfied: Int) {
        var total = 0.0
        var unsatisfied = 0
        switch self {
        case .crossEntropy:
            withUnsafeTemporaryAllocation(of: Double.self, capacity: cols) { e in
                for r in 0..<rows {
                    let fr = f + r * cols, yr = y + r * cols
                    var m = fr[0].double
                    for j in 1..<max(1, cols) { m = max(m, fr[j].double) }
                    // One exp per output: softmax_j = e_j / s.
                    var s = 0.0
                    for j in 0..<cols { e[j] = exp(fr[j].double - m); s += e[j] }
                    let logZ = m + log(s), inverse = 1 / s
                    for j in 0..<cols {
                        let t = yr[j].double
                        if t != 0 { total -= t * (fr[j].double - logZ) }
                        if let gradient { gradient[r * cols + j] = scale * T(e[j] * inverse - t) }
                    }
                }
            }
        case .mse:
            for i in 0..<(rows * cols) {
                let d = f[i] - y[i]
                total += d.double * d.double
                if let gradient { gradient[i] = scale * 2 * d }
            }
        case .hinge, .quadraticHinge:
            let oneHot = cols > 1
            for i in 0..<(rows * cols) {
                let t: T = oneHot ? 2 * y[i] - 1 : y[i]
                let slack = 1 - t * f[i]
                if slack > 0 {
                    unsatisfied += 1
                    if self == .hinge {
                        total += slack.double
                        if let gradient { gradient[i] = -scale * t }
                    } else {
                        total += 0.5 * slack.double * slack.double
                        if let gradient { gradient[i] = -scale * t * slack }
                    }
                } else {
                    if slack.isNaN { total = .nan }
                    if let gradient { gradient[i] = 0 }
                }
            }
        }
        return (total, unsatisfied)
    }
}
