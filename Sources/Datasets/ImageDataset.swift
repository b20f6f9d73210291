/// A labelled image classification set: `count` samples of shape `sampleShape`,
/// stored as raw bytes, one row of `features` bytes per sample.
public struct ImageDataset: Sendable, Equatable {
    /// Number of samples (the images file's first dimension).
    public let count: Int
    /// The shape of one sample, e.g. `[28, 28]`; never empty.
    public let sampleShape: [Int]
    /// `count` x `features` bytes, row-major.
    public let pixels: [UInt8]
    /// One label per sample, each below `classes`.
    public let labels: [UInt8]
    /// Number of classes: given, or the largest label plus one, and at least 2.
    public let classes: Int

    /// Bytes per sample: the product of `sampleShape`.
    public var features: Int { sampleShape.reduce(1, *) }

    /// Pairs an images array (rank 2 to 4, samples first) with a labels array (rank 1).
    ///
    /// - Parameters:
    ///   - imagesPath, labelsPath: the files the arrays came from, for error messages.
    ///   - classes: the number of classes; `nil` derives it as `max(2, largest label + 1)`.
    /// - Throws: `DatasetError.wrongRank` for a labels file that is not 1-D or an images
    ///   file that is 1-D, `.countMismatch` when they disagree on the number of samples,
    ///   `.labelOutOfRange` for a label at or above an explicit `classes`.
    public init(images: IDXArray, labels: IDXArray, imagesPath: String, labelsPath: String,
                classes: Int? = nil) throws {
        guard images.dims.count >= 2 else {
            throw DatasetError.wrongRank(path: imagesPath, role: "images", dims: images.dims)
        }
        guard labels.dims.count == 1 else {
            throw DatasetError.wrongRank(path: labelsPath, role: "labels", dims: labels.dims)
        }
        guard images.dims[0] == labels.dims[0] else {
            throw DatasetError.countMismatch(images: imagesPath, imageCount: images.dims[0],
                                             labels: labelsPath, labelCount: labels.dims[0])
        }
        let largest = Int(labels.bytes.max() ?? 0)
        let classCount = classes ?? max(2, largest + 1)
        if largest >= classCount, let index = labels.bytes.firstIndex(where: { Int($0) >= classCount }) {
            throw DatasetError.labelOutOfRange(path: labelsPath, index: index, label: Int(labels.bytes[index]),
                                               classes: classCount)
        }
        self.count = images.dims[0]
        self.sampleShape = Array(images.dims.dropFirst())
        self.pixels = images.bytes
        self.labels = labels.bytes
        self.classes = classCount
    }

    /// Reads an images file and a labels file (plain or gzip) and pairs them.
    ///
    /// - Throws: any `DatasetError` of `IDXArray.read` or of `init(images:labels:…)`.
    public init(imagesPath: String, labelsPath: String, classes: Int? = nil) throws {
        try self.init(images: IDXArray.read(path: imagesPath), labels: IDXArray.read(path: labelsPath),
                      imagesPath: imagesPath, labelsPath: labelsPath, classes: classes)
    }

    /// The same samples declaring `classes` classes (to give train and test one count).
    ///
    /// - Precondition: every label is below `classes`.
    func withClasses(_ classes: Int) -> ImageDataset {
        precondition(Int(labels.max() ?? 0) < classes, "a label is not below \(classes) classes")
        return ImageDataset(count: count, sampleShape: sampleShape, pixels: pixels, labels: labels, classes: classes)
    }

    private init(count: Int, sampleShape: [Int], pixels: [UInt8], labels: [UInt8], classes: Int) {
        self.count = count
        self.sampleShape = sampleShape
        self.pixels = pixels
        self.labels = labels
        self.classes = classes
    }
}
