import Testing
import Numerical
import TestSupport

@Suite struct LeastSquaresTests {
    /// An overdetermined system with an exact solution is solved exactly.
    @Test func overdeterminedExact() throws {
        let a = Matrix<Double>([[1, 0], [0, 1], [1, 1]])
        let xTrue = Matrix<Double>([[2], [-3]])
        let b = matmul(a, xTrue)
        let s = try minimumNormLeastSquares(a, b)
        #expect(s.rank == 2)
        #expect(maxAbsDifference(s.x.storage, xTrue.storage) < 1e-12)
    }

    /// x + y = 2 has the min-norm solution (1, 1), not any other interpolant.
    @Test func underdeterminedMinimumNorm() throws {
        let s = try minimumNormLeastSquares(Matrix<Double>([[1, 1]]), Matrix<Double>([[2]]))
        #expect(maxAbsDifference(s.x.storage, [1.0, 1.0]) < 1e-12)
    }

    /// Against the closed form x = A^T (A A^T)^{-1} b for a random wide A, and the
    /// least-squares normal equations for a random tall A.
    @Test func randomAgainstClosedForms() throws {
        var rng = RandomStream(seed: 7, ["test"])
        let wide: Matrix<Double> = rng.normalMatrix(rows: 3, cols: 6)
        let b: Matrix<Double> = rng.normalMatrix(rows: 3, cols: 2)
        let x = try minimumNormLeastSquares(wide, b).x
        // A x = b exactly, and x lies in the row space: x = A^T y with (A A^T) y = b.
        #expect(maxAbsDifference(matmul(wide, x).storage, b.storage) < 1e-10)
        let gram = matmul(wide, wide, transB: true)
        let y = try minimumNormLeastSquares(gram, b).x
        #expect(maxAbsDifference(matmul(wide, y, transA: true).storage, x.storage) < 1e-10)

        let tall: Matrix<Double> = rng.normalMatrix(rows: 8, cols: 3)
        let c: Matrix<Double> = rng.normalMatrix(rows: 8, cols: 1)
        let z = try minimumNormLeastSquares(tall, c).x
        // Residual orthogonal to the columns: A^T (A z - c) = 0.
        var r = matmul(tall, z)
        for i in 0..<r.storage.count { r.storage[i] -= c.storage[i] }
        #expect(matmul(tall, r, transA: true).frobeniusNorm < 1e-10)
    }

    /// A rank-deficient A (duplicate column) splits the weight equally.
    @Test func rankDeficient() throws {
        let s = try minimumNormLeastSquares(Matrix<Double>([[1, 1], [2, 2]]), Matrix<Double>([[2], [4]]))
        #expect(s.rank == 1)
        #expect(maxAbsDifference(s.x.storage, [1.0, 1.0]) < 1e-12)
    }

    @Test func float32Works() throws {
        let s = try minimumNormLeastSquares(Matrix<Float>([[2, 0], [0, 4]]), Matrix<Float>([[2], [2]]))
        #expect(maxAbsDifference(s.x.storage, [1.0, 0.5]) < 1e-6)
    }
}

@Suite struct MatmulTests {
    @Test func transposesAgainstLoops() {
        var rng = RandomStream(seed: 1, ["mm"])
        let a: Matrix<Double> = rng.normalMatrix(rows: 4, cols: 3)
        let b: Matrix<Double> = rng.normalMatrix(rows: 4, cols: 5)
        let c = matmul(a, b, transA: true)     // 3x5
        for i in 0..<3 { for j in 0..<5 {
            var s = 0.0
            for k in 0..<4 { s += a[k, i] * b[k, j] }
            #expect(isClose(c[i, j], s, rel: 1e-12))
        } }
        let d = matmul(a.transposed(), b.transposed(), transB: true)
        #expect(maxAbsDifference(c.storage, d.storage) < 1e-12)
    }
}
