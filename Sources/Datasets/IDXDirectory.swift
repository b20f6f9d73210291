import Foundation

/// A directory in the MNIST layout: `train-images-idx3-ubyte`, `train-labels-idx1-ubyte`,
/// `t10k-images-idx3-ubyte` and `t10k-labels-idx1-ubyte`, each plain or with `.gz`.
public struct IDXDirectory {
    /// The four base names, in the order they are looked for.
    public static let trainImages = "train-images-idx3-ubyte"
    public static let trainLabels = "train-labels-idx1-ubyte"
    public static let testImages = "t10k-images-idx3-ubyte"
    public static let testLabels = "t10k-labels-idx1-ubyte"

    /// Reads the train and test sets of `directory`.
    ///
    /// When both `name` and `name.gz` exist the plain file wins (it is what a user
    /// who unpacked the archive meant). Train and test share one class count, the
    /// larger of the two, so one-hot targets of both have the same width.
    ///
    /// - Throws: `DatasetError.directoryNotFound`, `.missingFile` naming the absent
    ///   file, `.shapeMismatch` when train and test samples differ in shape, or any
    ///   error of reading and pairing the files.
    public static func load(directory: String) throws -> (train: ImageDataset, test: ImageDataset) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw DatasetError.directoryNotFound(path: directory)
        }
        // Find all four before decoding any, so a missing file is reported at once.
        let paths = try [trainImages, trainLabels, testImages, testLabels].map { try locate($0, in: directory) }
        var train = try ImageDataset(imagesPath: paths[0], labelsPath: paths[1])
        var test = try ImageDataset(imagesPath: paths[2], labelsPath: paths[3])
        guard train.sampleShape == test.sampleShape else {
            throw DatasetError.shapeMismatch(train: paths[0], trainShape: train.sampleShape,
                                             test: paths[2], testShape: test.sampleShape)
        }
        let classes = max(train.classes, test.classes)
        train = train.withClasses(classes)
        test = test.withClasses(classes)
        return (train, test)
    }

    /// `load(directory:)` once per process and directory path; later calls, from any
    /// thread, share the decoded sets. Failures are not remembered, so a fixed
    /// directory loads on the next call.
    public static func cached(directory: String) throws -> (train: ImageDataset, test: ImageDataset) {
        try DatasetCache.shared.value(for: directory) { try load(directory: $0) }
    }

    /// The path of `name` or `name.gz` in `directory`.
    static func locate(_ name: String, in directory: String) throws -> String {
        let base = (directory as NSString).appendingPathComponent(name)
        for candidate in [base, base + ".gz"] where FileManager.default.fileExists(atPath: candidate) {
            return candidate
        }
        throw DatasetError.missingFile(directory: directory, name: name)
    }
}
