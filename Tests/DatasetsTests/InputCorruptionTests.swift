import Datasets
import Numerical
import TestSupport
import Testing

@Suite struct InputCorruptionTests {
    static let d = 16

    /// 6 train and 4 test rows of 16 distinct values each (see `SplitFixtures`).
    static func split() -> DataSplit<Double> {
        SplitFixtures.classification(trainLabels: [0, 1, 2, 0, 1, 2], testLabels: [2, 1, 0, 2], classes: 3,
                                     inputDimension: d)
    }

    /// The permutation that produced each corrupted row: the fixture's row `i` is
    /// `base + j`, so the value at position `j` minus the row's base is `perm[j]`.
    static func permutations(_ corrupted: Matrix<Double>, original: Matrix<Double>) -> [[Int]] {
        (0..<corrupted.rows).map { i in
            (0..<corrupted.cols).map { j in Int(corrupted[i, j] - original[i, 0]) }
        }
    }

    static func isPermutation(_ p: [Int]) -> Bool { p.sorted() == Array(0..<p.count) }

    static func expectLabelsUntouched(_ original: DataSplit<Double>, _ corrupted: DataSplit<Double>,
                                      sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(corrupted.train.labels == original.train.labels && corrupted.test.labels == original.test.labels,
                sourceLocation: sourceLocation)
        #expect(corrupted.train.targets == original.train.targets && corrupted.test.targets == original.test.targets,
                sourceLocation: sourceLocation)
        #expect(corrupted.classes == original.classes && corrupted.inputDimension == original.inputDimension,
                sourceLocation: sourceLocation)
    }

    @Test func noneDrawsNothing() {
        let split = Self.split()
        var s = RandomStream(seed: 1, ["inputs"]), r = RandomStream(seed: 1, ["inputs"])
        #expect(InputCorruption.none.apply(to: split, stream: &s) == split)
        #expect(s.nextUInt64() == r.nextUInt64())
    }

    @Test(arguments: InputCorruption.allCases)
    func reproducible(corruption: InputCorruption) {
        let split = Self.split()
        var a = RandomStream(seed: 2, ["inputs"]), b = RandomStream(seed: 2, ["inputs"])
        var c = RandomStream(seed: 3, ["inputs"])
        let ra = corruption.apply(to: split, stream: &a)
        #expect(ra == corruption.apply(to: split, stream: &b))
        #expect(a.nextUInt64() == b.nextUInt64())
        if corruption != .none { #expect(ra != corruption.apply(to: split, stream: &c), "another key, other inputs") }
        Self.expectLabelsUntouched(split, ra)
    }

    @Test func shuffledPixelsIsOnePermutationForAllImages() {
        let split = Self.split()
        var s = RandomStream(seed: 4, ["shuffle"]), r = RandomStream(seed: 4, ["shuffle"])
        let out = InputCorruption.shuffledPixels.apply(to: split, stream: &s)
        let perms = Self.permutations(out.train.inputs, original: split.train.inputs)
            + Self.permutations(out.test.inputs, original: split.test.inputs)
        let expected = r.permutation(Self.d)
        #expect(perms.allSatisfy { $0 == expected }, "the same permutation on every train and test image")
        #expect(Self.isPermutation(expected) && expected != Array(0..<Self.d))
        #expect(s.nextUInt64() == r.nextUInt64(), "one permutation drawn, nothing else")
        Self.expectLabelsUntouched(split, out)
    }

    @Test func randomPixelsPermutesEachImageIndependently() {
        let split = Self.split()
        var s = RandomStream(seed: 5, ["random-pixels"]), r = RandomStream(seed: 5, ["random-pixels"])
        let out = InputCorruption.randomPixels.apply(to: split, stream: &s)
        for (corrupted, original) in [(out.train.inputs, split.train.inputs), (out.test.inputs, split.test.inputs)] {
            for i in 0..<original.rows {
                #expect(corrupted.row(i).sorted() == original.row(i).sorted(), "row \(i) keeps its values")
            }
        }
        let perms = Self.permutations(out.train.inputs, original: split.train.inputs)
            + Self.permutations(out.test.inputs, original: split.test.inputs)
        #expect(perms.allSatisfy(Self.isPermutation))
        #expect(Set(perms).count == perms.count, "10 images, 10 different permutations")
        // Train images in order, then test images.
        #expect(perms == (0..<perms.count).map { _ in r.permutation(Self.d) })
        #expect(s.nextUInt64() == r.nextUInt64())
        Self.expectLabelsUntouched(split, out)
    }

    /// A 200 x 50 training set of pixel-like values in [0, 1] with a 40 x 50 test set.
    static func pixelSplit() -> DataSplit<Double> {
        func inputs(_ n: Int, salt: Int) -> Matrix<Double> {
            Matrix(rows: n, cols: 50, storage: (0..<(n * 50)).map { Double(($0 * 37 + salt) % 256) / 255 })
        }
        let trainLabels = SplitFixtures.cyclicLabels(200, classes: 10)
        let testLabels = SplitFixtures.cyclicLabels(40, classes: 10)
        return DataSplit(train: Examples(inputs: inputs(200, salt: 0), labels: trainLabels,
                                         targets: SplitFixtures.oneHot(trainLabels, classes: 10)),
                         test: Examples(inputs: inputs(40, salt: 11), labels: testLabels,
                                        targets: SplitFixtures.oneHot(testLabels, classes: 10)),
                         classes: 10)
    }

    static func moments(_ xs: [Double]) -> (mean: Double, std: Double) {
        let mean = xs.reduce(0, +) / Double(xs.count)
        let variance = xs.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(xs.count)
        return (mean, variance.squareRoot())
    }

    /// The output's mean and std match the training inputs'. With N draws the sample
    /// mean has standard deviation s / sqrt(N) and the sample std a relative one of
    /// about 1 / sqrt(2N); tolerances are 5 of those (N = 10,000 train, 2,000 test).
    @Test func gaussianMatchesTrainingMoments() {
        let split = Self.pixelSplit()
        let (m, sd) = Self.moments(split.train.inputs.storage)
        var s = RandomStream(seed: 6, ["gaussian"]), r = RandomStream(seed: 6, ["gaussian"])
        let out = InputCorruption.gaussian.apply(to: split, stream: &s)
        for (values, n) in [(out.train.inputs.storage, 10_000.0), (out.test.inputs.storage, 2_000.0)] {
            let (om, osd) = Self.moments(values)
            #expect(abs(om - m) < 5 * sd / n.squareRoot(), "mean \(om) vs \(m)")
            #expect(abs(osd / sd - 1) < 5 / (2 * n).squareRoot(), "std \(osd) vs \(sd)")
        }
        // Draw order: one normal per value, train row by row, then test row by row.
        let expected = (0..<12_000).map { _ in m + sd * r.nextNormal() }
        #expect(maxAbsDifference(out.train.inputs.storage + out.test.inputs.storage, expected) < 1e-12)
        Self.expectLabelsUntouched(split, out)
    }

    /// Only the training values' mean and std matter: moving pixels around (within and
    /// across images) and changing the test inputs give the same output.
    @Test func gaussianIgnoresPixelPositions() {
        let split = Self.pixelSplit()
        var moved = split
        moved.train.inputs = Matrix(rows: 200, cols: 50, storage: split.train.inputs.storage.reversed())
        moved.test.inputs = Matrix(rows: 40, cols: 50, repeating: 0.5)
        var a = RandomStream(seed: 7, ["gaussian"]), b = RandomStream(seed: 7, ["gaussian"])
        let outA = InputCorruption.gaussian.apply(to: split, stream: &a)
        let outB = InputCorruption.gaussian.apply(to: moved, stream: &b)
        #expect(maxAbsDifference(outA.train.inputs.storage, outB.train.inputs.storage) < 1e-12)
        #expect(maxAbsDifference(outA.test.inputs.storage, outB.test.inputs.storage) < 1e-12)
        #expect(maxAbsDifference(outA.train.inputs.storage, split.train.inputs.storage) > 0.5,
                "the original values are gone")
    }

    @Test func gaussianEdgeCases() {
        // Constant training inputs: std 0, every value becomes the mean.
        let constant = DataSplit(
            train: Examples(inputs: Matrix<Float>(rows: 3, cols: 2, repeating: 0.25), labels: [0, 1, 0],
                            targets: Matrix(rows: 3, cols: 2, storage: [1, 0, 0, 1, 1, 0])),
            test: Examples(inputs: Matrix<Float>(rows: 1, cols: 2, repeating: 9), labels: [1],
                           targets: Matrix(rows: 1, cols: 2, storage: [0, 1])),
            classes: 2)
        var s = RandomStream(seed: 8, ["edge"])
        let out = InputCorruption.gaussian.apply(to: constant, stream: &s)
        #expect((out.train.inputs.storage + out.test.inputs.storage).allSatisfy { $0 == 0.25 })
        // Empty training set: mean and std 0.
        var empty = constant
        empty.train = Examples(inputs: Matrix(rows: 0, cols: 2), labels: [], targets: Matrix(rows: 0, cols: 2))
        #expect(InputCorruption.gaussian.apply(to: empty, stream: &s).test.inputs.storage == [0, 0])
    }

    @Test func names() {
        #expect(InputCorruption(rawValue: "shuffled_pixels") == .shuffledPixels)
        #expect(InputCorruption(rawValue: "random_pixels") == .randomPixels)
        #expect(InputCorruption.allCases.map(\.rawValue) == ["none", "shuffled_pixels", "random_pixels", "gaussian"])
    }
}
