import Datasets
import Numerical
import Testing

@Suite struct SyntheticSetsTests {
    @Test func toyShapesAndRanges() {
        var s = RandomStream(seed: 0, ["toy"])
        let split = SyntheticSets.toy(trainCount: 10, testCount: 300, stream: &s, as: Double.self)
        #expect(split.classes == 0 && split.inputDimension == 1 && split.outputDimension == 1)
        #expect(split.train.labels == nil && split.test.labels == nil)
        #expect(split.train.inputs.rows == 10 && split.train.targets.rows == 10)
        #expect(split.test.inputs.rows == 300 && split.test.targets.rows == 300)
        let xs = split.train.inputs.storage + split.test.inputs.storage
        #expect(xs.allSatisfy { $0 >= -3 && $0 < 3 })
        #expect(xs.min()! < -2 && xs.max()! > 2)
    }

    /// Draw order is train x's, train noise, test x's, test noise.
    @Test func toyDrawOrder() {
        var s = RandomStream(seed: 5, ["toy"])
        let split = SyntheticSets.toy(trainCount: 3, testCount: 2, stream: &s, as: Double.self)
        var r = RandomStream(seed: 5, ["toy"])
        let trainX = (0..<3).map { _ in -3 + 6 * r.nextUniform() }
        let trainY = (0..<3).map { _ in r.nextNormal() }
        let testX = (0..<2).map { _ in -3 + 6 * r.nextUniform() }
        let testY = (0..<2).map { _ in r.nextNormal() }
        #expect(split.train.inputs.storage == trainX && split.train.targets.storage == trainY)
        #expect(split.test.inputs.storage == testX && split.test.targets.storage == testY)
    }

    @Test func linearRecoversSlope() throws {
        var s = RandomStream(seed: 0, ["linear"])
        let split = SyntheticSets.linear(trainCount: 2000, testCount: 50, stream: &s, as: Double.self)
        #expect(split.train.inputs.storage.allSatisfy { $0 >= 0 && $0 < 20 })
        let fit = try minimumNormLeastSquares(split.train.inputs.appendingColumn(1), split.train.targets)
        #expect(abs(fit.x[0, 0] - 0.7) < 0.05, "slope \(fit.x[0, 0])")
        #expect(abs(fit.x[1, 0] - 3) < 0.5, "intercept \(fit.x[1, 0])")
        #expect(split.test.inputs.rows == 50 && split.test.targets.cols == 1)
    }

    @Test func reproducibleAndPrecisionIndependent() {
        var a = RandomStream(seed: 7, ["linear"]), b = RandomStream(seed: 7, ["linear"])
        let double = SyntheticSets.linear(trainCount: 100, testCount: 10, stream: &a, as: Double.self)
        let float = SyntheticSets.linear(trainCount: 100, testCount: 10, stream: &b, as: Float.self)
        #expect(double.converted(to: Float.self) == float)
        var c = RandomStream(seed: 8, ["linear"])
        #expect(SyntheticSets.linear(trainCount: 100, testCount: 10, stream: &c, as: Double.self) != double)
    }
}
