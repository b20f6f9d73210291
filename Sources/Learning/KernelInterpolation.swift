import Foundation
import Numerical

/// Kernels for min-norm interpolation.
public enum KernelKind: String, Sendable, CaseIterable {
    /// exp(-||x - x'||^2 / (2 s^2)).
    case gaussian
    /// x.x' + 1.
    case linear
    /// The neural tangent kernel of an infinitely wide one-hidden-layer ReLU network
    /// in the NTK parameterization, inputs augmented with a bias 1:
    /// Θ(x, x') = x.x' (π - θ)/(2π) + |x||x'| (sin θ + (π - θ) cos θ)/(2π), θ the angle.
    case ntk
}

/// Kernel interpolation (Zhang et al. §5): solve K α = Y exactly on the training set
/// (Cholesky, blocked, in float64), predict f(x) = Σ_i k(x, x_i) α_i. Zero training
/// error by construction when K is positive definite; otherwise (a linear kernel with
/// more points than dimensions) the minimum-norm least-squares α, and the training
/// error says so.
public struct KernelInterpolation: Sendable {
    public let kind: KernelKind
    public let bandwidth: Double
    public let trainInputs: Matrix<Double>
    /// P x C (empty when `primal` is used).
    public let alpha: Matrix<Double>
    /// For a linear kernel on more points than dimensions: w = pinv([X 1]) Y, the
    /// same min-norm solution as α (f = [X 1] w with w = [X 1]^T α), without the
    /// P x P least squares.
    public let primal: Matrix<Double>?
    /// Whether K was positive definite (exact interpolation by Cholesky).
    public let exact: Bool
    /// sqrt(α^T K α) summed over outputs: the interpolant's RKHS norm.
    public let rkhsNorm: Double

    public static func fit(inputs x: Matrix<Double>, targets y: Matrix<Double>, kind: KernelKind,
                           bandwidth: Double) throws -> KernelInterpolation {
        if kind == .linear && x.rows > x.cols + 1 {   // K has rank D + 1 < P: never positive definite
            let w = try minimumNormLeastSquares(x.appendingColumn(1), y).x
            return KernelInterpolation(kind: kind, bandwidth: bandwidth, trainInputs: x,
                                       alpha: Matrix(rows: 0, cols: y.cols), primal: w, exact: false,
                                       rkhsNorm: w.frobeniusNorm)
        }
        let k = gram(x, x, kind: kind, bandwidth: bandwidth)
        var alpha: Matrix<Double>
        var exact = true
        if let solved = choleskySolve(k, y) {
            alpha = solved
        } else {
            alpha = try minimumNormLeastSquares(k, y).x
            exact = false
        }
        let kAlpha = matmul(k, alpha)
        var norm2 = 0.0
        for i in 0..<alpha.storage.count { norm2 += alpha.storage[i] * kAlpha.storage[i] }
        return KernelInterpolation(kind: kind, bandwidth: bandwidth, trainInputs: x, alpha: alpha, primal: nil,
                                   exact: exact, rkhsNorm: max(0, norm2).squareRoot())
    }

    public func predict(_ x: Matrix<Double>) -> Matrix<Double> {
        if let primal { return matmul(x.appendingColumn(1), primal) }
        return matmul(Self.gram(x, trainInputs, kind: kind, bandwidth: bandwidth), alpha)
    }

    /// K[i, j] = k(a_i, b_j), built from one gemm of inner products.
    public static func gram(_ a: Matrix<Double>, _ b: Matrix<Double>, kind: KernelKind, bandwidth: Double) -> Matrix<Double> {
        var k = matmul(a, b, transB: true)
        let na = rowSquaredNorms(a), nb = rowSquaredNorms(b)
        let cols = b.rows
        k.storage.withUnsafeMutableBufferPointer { p in
            for i in 0..<a.rows {
                for j in 0..<cols {
                    let dot = p[i * cols + j]
                    switch kind {
                    case .linear:
                        p[i * cols + j] = dot + 1
                    case .gaussian:
                        let d2 = max(0, na[i] + nb[j] - 2 * dot)
                        p[i * cols + j] = exp(-d2 / (2 * bandwidth * bandwidth))
                    case .ntk:
                        // With the bias input 1 appended.
                        let dotB = dot + 1, la = (na[i] + 1).squareRoot(), lb = (nb[j] + 1).squareRoot()
                        let u = min(1, max(-1, dotB / (la * lb)))
                        let theta = acos(u)
                        p[i * cols + j] = (dotB * (Double.pi - theta) + la * lb * (sin(theta) + (Double.pi - theta) * u))
                            / (2 * Double.pi)
                    }
                }
            }
        }
        return k
    }

    static func rowSquaredNorms(_ m: Matrix<Double>) -> [Double] {
        (0..<m.rows).map { i in m.row(i).reduce(0) { $0 + $1 * $1 } }
    }
}
