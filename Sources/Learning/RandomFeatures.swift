import Numerical

/// Random ReLU features with a min-norm least-squares readout (Belkin et al. 2019).
///
/// Shapes: `P` training points, `D` inputs, `N` features (the swept width), `C` outputs.
///   phi(x) = max(0, W [x; 1]),  W: N x (D+1), entries N(0, 1/(D+1))
///   f(x)   = phi(x)^T beta,     beta: N x C, the minimum-norm solution of
///            min ||Phi beta - Y||  (Phi: P x N).
/// For N < P this is least squares; for N >= P it interpolates the training set, and
/// near N = P the conditioning of Phi makes ||beta|| and the test error peak.
public struct RandomFeaturesModel<T: BLASScalar>: Sendable {
    /// N x (D+1): one row per feature, the last column is the bias weight.
    public let weights: Matrix<T>
    /// N x C.
    public let readout: Matrix<T>
    /// Effective rank of Phi found by the solver.
    public let rank: Int

    /// Draws W from `stream` and solves for the readout on (x, y).
    public static func fit(inputs x: Matrix<T>, targets y: Matrix<T>, width n: Int,
                           stream: inout RandomStream, rcond: T = -1) throws -> RandomFeaturesModel<T> {
        precondition(n >= 1, "width must be >= 1")
        let d = x.cols
        let w: Matrix<T> = stream.normalMatrix(rows: n, cols: d + 1, std: 1 / Double(d + 1).squareRoot())
        let phi = features(x, weights: w)                              // P x N
        let solution = try minimumNormLeastSquares(phi, y, rcond: rcond) // N x C
        return RandomFeaturesModel(weights: w, readout: solution.x, rank: solution.rank)
    }

    /// phi(X) = max(0, [X 1] W^T), one row per sample.
    public static func features(_ x: Matrix<T>, weights w: Matrix<T>) -> Matrix<T> {
        var phi = matmul(x.appendingColumn(1), w, transB: true)
        reluInPlace(&phi)
        return phi
    }

    /// f(X) = phi(X) beta: samples x C.
    public func predict(_ x: Matrix<T>) -> Matrix<T> {
        matmul(Self.features(x, weights: weights), readout)
    }
}
