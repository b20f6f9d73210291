import Datasets
import Numerical

/// Hand-built splits for the transform tests.
enum SplitFixtures {
    /// One-hot rows `classes` wide for `labels`.
    static func oneHot(_ labels: [Int], classes: Int) -> Matrix<Double> {
        var m = Matrix<Double>(rows: labels.count, cols: classes)
        for (i, y) in labels.enumerated() { m[i, y] = 1 }
        return m
    }

    /// A classification split whose input values are all distinct: train example `i`
    /// has `x[i, j] = 100 i + j`, test example `i` has `x[i, j] = 100_000 + 100 i + j`
    /// (so `D <= 100` keeps rows apart).
    static func classification(trainLabels: [Int], testLabels: [Int], classes: Int,
                               inputDimension d: Int = 3) -> DataSplit<Double> {
        precondition(d <= 100)
        func inputs(_ n: Int, base: Double) -> Matrix<Double> {
            Matrix(rows: n, cols: d, storage: (0..<(n * d)).map { base + Double(100 * ($0 / d) + $0 % d) })
        }
        return DataSplit(
            train: Examples(inputs: inputs(trainLabels.count, base: 0), labels: trainLabels,
                            targets: oneHot(trainLabels, classes: classes)),
            test: Examples(inputs: inputs(testLabels.count, base: 100_000), labels: testLabels,
                           targets: oneHot(testLabels, classes: classes)),
            classes: classes)
    }

    /// `n` labels cycling through `0..<classes`.
    static func cyclicLabels(_ n: Int, classes: Int) -> [Int] { (0..<n).map { $0 % classes } }
}
