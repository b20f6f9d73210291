import Datasets
import Numerical
import Testing

@Suite struct ImageSubsetTests {
    /// 50 train and 20 test samples of shape [2, 3]; sample i's first pixel is i.
    static func sets() throws -> (ImageDataset, ImageDataset) {
        func set(_ n: Int, offset: Int) throws -> ImageDataset {
            var pixels = patternBytes(n * 6)
            for i in 0..<n { pixels[i * 6] = UInt8(i + offset) }
            return try ImageDataset(images: IDXArray(dims: [n, 2, 3], bytes: pixels),
                                    labels: IDXArray(dims: [n], bytes: (0..<n).map { UInt8($0 % 3) }),
                                    imagesPath: "i", labelsPath: "l")
        }
        return (try set(50, offset: 0), try set(20, offset: 100))
    }

    /// The source index of each example, recovered from its first pixel.
    static func indices(_ ex: Examples<Double>, offset: Int) -> [Int] {
        (0..<ex.count).map { Int((ex.inputs[$0, 0] * 255).rounded()) - offset }
    }

    @Test func reproducibleAndDrawnInOrder() throws {
        let (train, test) = try Self.sets()
        var a = RandomStream(seed: 1, ["data", "cell"])
        var b = RandomStream(seed: 1, ["data", "cell"])
        var c = RandomStream(seed: 2, ["data", "cell"])
        let sa = try DataSplit<Double>.imageSubset(train: train, test: test, trainCount: 10, testCount: 5, stream: &a)
        let sb = try DataSplit<Double>.imageSubset(train: train, test: test, trainCount: 10, testCount: 5, stream: &b)
        let sc = try DataSplit<Double>.imageSubset(train: train, test: test, trainCount: 10, testCount: 5, stream: &c)
        #expect(sa == sb)
        #expect(Self.indices(sa.train, offset: 0) != Self.indices(sc.train, offset: 0))

        // Train indices are drawn first, then test indices, from the same stream.
        var reference = RandomStream(seed: 1, ["data", "cell"])
        let trainIndices = reference.sample(10, from: 50)
        let testIndices = reference.sample(5, from: 20)
        #expect(Self.indices(sa.train, offset: 0) == trainIndices)
        #expect(Self.indices(sa.test, offset: 100) == testIndices)
        #expect(sa.train.labels == trainIndices.map { $0 % 3 })
    }

    @Test func shapes() throws {
        let (train, test) = try Self.sets()
        var s = RandomStream(seed: 3, ["subset"])
        let split = try DataSplit<Float>.imageSubset(train: train, test: test, trainCount: 50, testCount: 1, stream: &s)
        #expect(split.classes == 3 && split.inputDimension == 6 && split.outputDimension == 3)
        #expect(split.train.inputs.rows == 50 && split.train.targets.cols == 3)
        #expect(split.test.inputs.rows == 1 && split.test.labels?.count == 1)
        #expect(Set(split.train.inputs.storage.enumerated().filter { $0.offset % 6 == 0 }.map(\.element)).count == 50,
                "the whole train set, each sample once")
        #expect(split.converted(to: Double.self).converted(to: Float.self) == split)
    }

    @Test func tooLargeRequests() throws {
        let (train, test) = try Self.sets()
        var s = RandomStream(seed: 3, ["subset"])
        try expectDatasetError(naming: "requested 51 train samples", containing: "has only 50 (set train_size to at most 50)", {
            $0 == .subsetTooLarge(part: "train", requested: 51, available: 50)
        }) { _ = try DataSplit<Double>.imageSubset(train: train, test: test, trainCount: 51, testCount: 1, stream: &s) }
        try expectDatasetError(naming: "requested 21 test samples", containing: "(set test_size to at most 20)", {
            $0 == .subsetTooLarge(part: "test", requested: 21, available: 20)
        }) { _ = try DataSplit<Double>.imageSubset(train: train, test: test, trainCount: 1, testCount: 21, stream: &s) }
    }
}
