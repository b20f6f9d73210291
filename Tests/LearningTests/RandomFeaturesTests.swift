import Learning
import Numerical
import Testing
import TestSupport

@Suite struct RandomFeaturesTests {
    func data(p: Int, d: Int) -> (Matrix<Double>, Matrix<Double>) {
        var s = RandomStream(seed: 5, ["rf-data"])
        return (s.normalMatrix(rows: p, cols: d), s.normalMatrix(rows: p, cols: 3))
    }

    /// Past the threshold (N > P) the readout interpolates, and it is the min-norm
    /// interpolant beta = Phi^T (Phi Phi^T)^-1 Y.
    @Test func overParameterizedInterpolatesWithMinimumNorm() throws {
        let (x, y) = data(p: 20, d: 4)
        var s = RandomStream(seed: 1, ["init"])
        let model = try RandomFeaturesModel<Double>.fit(inputs: x, targets: y, width: 80, stream: &s)
        #expect(Metrics.meanSquaredError(model.predict(x), y) < 1e-18)
        let phi = RandomFeaturesModel<Double>.features(x, weights: model.weights)
        let gram = matmul(phi, phi, transB: true)
        let alpha = try minimumNormLeastSquares(gram, y).x
        let closed = matmul(phi, alpha, transA: true)
        #expect(maxAbsDifference(closed.storage, model.readout.storage) < 1e-8)
    }

    /// Below the threshold it is ordinary least squares: the residual is orthogonal to the features.
    @Test func underParameterizedIsLeastSquares() throws {
        let (x, y) = data(p: 50, d: 4)
        var s = RandomStream(seed: 1, ["init"])
        let model = try RandomFeaturesModel<Double>.fit(inputs: x, targets: y, width: 10, stream: &s)
        let phi = RandomFeaturesModel<Double>.features(x, weights: model.weights)
        var r = model.predict(x)
        for i in 0..<r.storage.count { r.storage[i] -= y.storage[i] }
        #expect(matmul(phi, r, transA: true).frobeniusNorm < 1e-9)
        #expect(Metrics.meanSquaredError(model.predict(x), y) > 0.1)
    }

    @Test func sameStreamSameModel() throws {
        let (x, y) = data(p: 10, d: 3)
        var a = RandomStream(seed: 2, ["init"]), b = RandomStream(seed: 2, ["init"])
        let m1 = try RandomFeaturesModel<Float>.fit(inputs: x.converted(), targets: y.converted(), width: 7, stream: &a)
        let m2 = try RandomFeaturesModel<Float>.fit(inputs: x.converted(), targets: y.converted(), width: 7, stream: &b)
        #expect(m1.readout == m2.readout && m1.weights == m2.weights)
    }

    @Test func metrics() {
        let f = Matrix<Double>([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4], [.nan, 0]])
        #expect(Metrics.classificationError(f, labels: [0, 1, 1, 1]) == 0.5)
        let y = Matrix<Double>([[1, 0], [0, 1]])
        #expect(isClose(Metrics.meanSquaredError(Matrix<Double>([[1, 1], [0, 1]]), y), 0.5))
        #expect(Metrics.hasNonFinite(f))
    }
}
