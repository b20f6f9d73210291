import Numerical

extension ImageDataset {
    /// The samples at `indices`, in that order: pixels scaled to [0, 1] (value / 255)
    /// as `inputs`, labels, and one-hot `targets` of width `classes`.
    ///
    /// - Precondition: every index is in `0..<count`.
    public func examples<T: BLASScalar>(indices: [Int], as: T.Type = T.self) -> Examples<T> {
        examples(indices: indices, classes: classes)
    }

    /// `examples(indices:as:)` with one-hot rows `classes` wide.
    func examples<T: BLASScalar>(indices: [Int], classes: Int) -> Examples<T> {
        let d = features
        // One division per byte value, not per pixel: identical results, and quick in debug builds.
        let scale = (0..<256).map { T($0) / 255 }
        var inputs = Matrix<T>(rows: indices.count, cols: d)
        var targets = Matrix<T>(rows: indices.count, cols: classes)
        var labelList = [Int]()
        labelList.reserveCapacity(indices.count)
        pixels.withUnsafeBufferPointer { src in
            inputs.storage.withUnsafeMutableBufferPointer { dst in
                for (r, i) in indices.enumerated() {
                    precondition(i >= 0 && i < count, "sample \(i) out of 0..<\(count)")
                    for j in 0..<d { dst[r * d + j] = scale[Int(src[i * d + j])] }
                }
            }
        }
        for (r, i) in indices.enumerated() {
            let label = Int(labels[i])
            labelList.append(label)
            targets[r, label] = 1
        }
        return Examples(inputs: inputs, labels: labelList, targets: targets)
    }
}

extension DataSplit {
    /// A seeded subset of an image set: `trainCount` distinct train samples, then
    /// `testCount` distinct test samples, each drawn with `stream.sample(_:from:)` in
    /// that order, so the same stream always gives the same subset.
    ///
    /// `classes` is the larger of the two sets' class counts (they are equal for
    /// sets from `IDXDirectory`).
    ///
    /// - Throws: `DatasetError.subsetTooLarge` when a count exceeds its set's size.
    /// - Precondition: counts are non-negative; train and test have one sample shape.
    public static func imageSubset(train: ImageDataset, test: ImageDataset, trainCount: Int, testCount: Int,
                                   stream: inout RandomStream) throws -> DataSplit<T> {
        precondition(trainCount >= 0 && testCount >= 0, "negative subset size")
        precondition(train.sampleShape == test.sampleShape,
                     "train samples \(train.sampleShape) but test samples \(test.sampleShape)")
        guard trainCount <= train.count else {
            throw DatasetError.subsetTooLarge(part: "train", requested: trainCount, available: train.count)
        }
        guard testCount <= test.count else {
            throw DatasetError.subsetTooLarge(part: "test", requested: testCount, available: test.count)
        }
        let classes = max(train.classes, test.classes)
        let trainIndices = stream.sample(trainCount, from: train.count)
        let testIndices = stream.sample(testCount, from: test.count)
        return DataSplit(train: train.examples(indices: trainIndices, classes: classes),
                         test: test.examples(indices: testIndices, classes: classes), classes: classes)
    }
}
