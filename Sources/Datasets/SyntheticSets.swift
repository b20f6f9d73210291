import Numerical

/// Small 1-D regression sets (D = 1, C = 1, `classes` 0, no labels).
///
/// Draw order, fixed because results must be bit-reproducible: all train x's
/// (uniforms), then all train noise (normals), then all test x's, then all test
/// noise. Values are computed in Double and rounded once to `T`.
public enum SyntheticSets {
    /// The "double descent" colab's toy set: x uniform on [-3, 3], target N(0, 1)
    /// independent of x; test points drawn the same way.
    public static func toy<T: BLASScalar>(trainCount: Int, testCount: Int, stream: inout RandomStream,
                                          as: T.Type = T.self) -> DataSplit<T> {
        regression(trainCount: trainCount, testCount: testCount, stream: &stream,
                   x: { -3 + 6 * $0 }, y: { _, noise in noise })
    }

    /// A noisy line: x uniform on [0, 20], y = 3 + 0.7 x + N(0, 2²); test the same.
    public static func linear<T: BLASScalar>(trainCount: Int, testCount: Int, stream: inout RandomStream,
                                             as: T.Type = T.self) -> DataSplit<T> {
        regression(trainCount: trainCount, testCount: testCount, stream: &stream,
                   x: { 20 * $0 }, y: { x, noise in 3 + 0.7 * x + 2 * noise })
    }

    /// Draws train then test; `x` maps a uniform in [0, 1) to an input, `y` an input
    /// and a standard normal to a target.
    private static func regression<T: BLASScalar>(
        trainCount: Int, testCount: Int, stream: inout RandomStream,
        x: (Double) -> Double, y: (Double, Double) -> Double
    ) -> DataSplit<T> {
        precondition(trainCount >= 0 && testCount >= 0, "negative set size")
        func draw(_ n: Int) -> Examples<T> {
            let xs = (0..<n).map { _ in x(stream.nextUniform()) }
            let noise = (0..<n).map { _ in stream.nextNormal() }
            let ys = zip(xs, noise).map(y)
            return Examples(inputs: Matrix(rows: n, cols: 1, storage: xs.map { T($0) }), labels: nil,
                            targets: Matrix(rows: n, cols: 1, storage: ys.map { T($0) }))
        }
        let train = draw(trainCount)
        let test = draw(testCount)
        return DataSplit(train: train, test: test, classes: 0)
    }
}
