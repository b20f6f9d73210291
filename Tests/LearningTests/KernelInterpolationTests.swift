import Foundation
import Learning
import Numerical
import Testing
import TestSupport

@Suite struct KernelInterpolationTests {
    func data(_ p: Int, _ d: Int) -> (Matrix<Double>, Matrix<Double>) {
        var s = RandomStream(seed: 8, ["kernel"])
        return (s.normalMatrix(rows: p, cols: d), s.normalMatrix(rows: p, cols: 2))
    }

    /// Gaussian and NTK kernel matrices of distinct points are positive definite:
    /// the interpolant fits every training target exactly.
    @Test(arguments: [KernelKind.gaussian, .ntk])
    func interpolatesExactly(kind: KernelKind) throws {
        let (x, y) = data(40, 5)
        let model = try KernelInterpolation.fit(inputs: x, targets: y, kind: kind, bandwidth: 2)
        #expect(model.exact)
        #expect(maxAbsDifference(model.predict(x).storage, y.storage) < 1e-8)
    }

    /// Two points, Gaussian kernel: α solves [[1, e], [e, 1]] α = y with e = exp(-d^2 / 2s^2).
    @Test func twoPointKnownAnswer() throws {
        let x = Matrix<Double>([[0], [1]]), y = Matrix<Double>([[1], [0]])
        let model = try KernelInterpolation.fit(inputs: x, targets: y, kind: .gaussian, bandwidth: 1)
        let e = exp(-0.5)
        // f(0.5) = k(0.5, 0) α0 + k(0.5, 1) α1 with α = [1, -e] / (1 - e^2).
        let a0 = 1 / (1 - e * e), a1 = -e / (1 - e * e)
        let k = exp(-0.125)
        #expect(isClose(model.predict(Matrix<Double>([[0.5]]))[0, 0], k * a0 + k * a1, rel: 1e-12))
    }

    /// The NTK entry for parallel inputs is x.x' (the arc-cosine terms at θ = 0).
    @Test func ntkOfParallelInputs() {
        let x = Matrix<Double>([[3, 4]])   // |x|^2 + 1 = 26
        let k = KernelInterpolation.gram(x, x, kind: .ntk, bandwidth: 1)
        #expect(isClose(k[0, 0], 26, rel: 1e-12))
    }

    /// A linear kernel on more points than dimensions cannot interpolate: the primal
    /// min-norm solution equals least squares on [X 1].
    @Test func linearKernelFallsBackToLeastSquares() throws {
        let (x, y) = data(30, 3)
        let model = try KernelInterpolation.fit(inputs: x, targets: y, kind: .linear, bandwidth: 1)
        #expect(!model.exact)
        let w = try minimumNormLeastSquares(x.appendingColumn(1), y).x
        #expect(maxAbsDifference(model.predict(x).storage, matmul(x.appendingColumn(1), w).storage) < 1e-10)
    }
}
