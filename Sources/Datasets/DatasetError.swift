/// A problem with a data file or a data request that the user can fix.
///
/// Every `description` is one line: the file (or directory) it concerns, what is
/// wrong, and in parentheses what to do about it.
public enum DatasetError: Error, CustomStringConvertible, Equatable {
    /// No file at `path`.
    case fileNotFound(path: String)
    /// The file exists but could not be opened or read (permissions, a directory, I/O).
    case unreadable(path: String, reason: String)
    /// The first two bytes are not the IDX magic `00 00`, or the header is cut short.
    case notIDX(path: String, detail: String)
    /// A valid IDX header whose element type is not unsigned byte (0x08).
    case unsupportedType(path: String, code: UInt8)
    /// The header's dimension count is outside 1...4.
    case unsupportedRank(path: String, rank: Int)
    /// A dimension of size zero.
    case emptyDimension(path: String, dims: [Int])
    /// The dimensions multiply to more than `IDXArray.maxElements` (or overflow).
    case tooLarge(path: String, dims: [UInt32])
    /// Fewer data bytes than the header promises.
    case truncated(path: String, expected: Int, actual: Int)
    /// More data bytes than the header promises.
    case trailingBytes(path: String, expected: Int, extra: Int)
    /// zlib reported a damaged gzip stream.
    case corruptGzip(path: String, reason: String)
    /// The file's rank is not what its role needs (labels are 1-D, images at least 2-D).
    case wrongRank(path: String, role: String, dims: [Int])
    /// An images file and a labels file that disagree on the number of samples.
    case countMismatch(images: String, imageCount: Int, labels: String, labelCount: Int)
    /// A label at or above the number of classes.
    case labelOutOfRange(path: String, index: Int, label: Int, classes: Int)
    /// Train and test images of different shapes.
    case shapeMismatch(train: String, trainShape: [Int], test: String, testShape: [Int])
    /// The IDX directory does not exist.
    case directoryNotFound(path: String)
    /// One of the four IDX files is absent from the directory.
    case missingFile(directory: String, name: String)
    /// A subset larger than its source set.
    case subsetTooLarge(part: String, requested: Int, available: Int)

    private static let reinstall = "(re-download or reinstall the dataset)"

    public var description: String {
        switch self {
        case .fileNotFound(let path):
            return "\(path): not found (check the path, or install the dataset)"
        case .unreadable(let path, let reason):
            return "\(path): cannot read: \(reason) (check the file's permissions and type)"
        case .notIDX(let path, let detail):
            return "\(path): not an IDX file: \(detail) \(Self.reinstall)"
        case .unsupportedType(let path, let code):
            let hex = String(code, radix: 16, uppercase: true)
            return "\(path): IDX element type 0x\(hex.count < 2 ? "0" + hex : hex) is not supported, "
                + "only unsigned byte (0x08) is (convert the file to unsigned bytes)"
        case .unsupportedRank(let path, let rank):
            return "\(path): IDX header has \(rank) dimensions, only 1 to 4 are supported \(Self.reinstall)"
        case .emptyDimension(let path, let dims):
            return "\(path): IDX header has a zero dimension in \(dims) \(Self.reinstall)"
        case .tooLarge(let path, let dims):
            return "\(path): IDX header dimensions \(dims) exceed \(IDXArray.maxElements) elements "
                + "(the header is corrupt; re-download or reinstall the dataset)"
        case .truncated(let path, let expected, let actual):
            return "\(path): truncated IDX data: header says \(expected) bytes, file has \(actual) \(Self.reinstall)"
        case .trailingBytes(let path, let expected, let extra):
            return "\(path): IDX data has \(extra) bytes beyond the \(expected) the header says \(Self.reinstall)"
        case .corruptGzip(let path, let reason):
            return "\(path): corrupt gzip data: \(reason) \(Self.reinstall)"
        case .wrongRank(let path, let role, let dims):
            return "\(path): \(role) file has dimensions \(dims) "
                + "(labels must be 1-D and images at least 2-D; check the file names)"
        case .countMismatch(let images, let imageCount, let labels, let labelCount):
            return "\(images) has \(imageCount) images but \(labels) has \(labelCount) labels "
                + "(use the labels file that belongs to these images)"
        case .labelOutOfRange(let path, let index, let label, let classes):
            return "\(path): label \(label) at index \(index) is not below the \(classes) classes \(Self.reinstall)"
        case .shapeMismatch(let train, let trainShape, let test, let testShape):
            return "\(train) has samples of shape \(trainShape) but \(test) has \(testShape) "
                + "(train and test files must come from the same dataset)"
        case .directoryNotFound(let path):
            return "dataset directory \(path) not found (install Debian's dataset-fashion-mnist via "
                + "scripts/install-deps.sh, or point --data / OVERPARAM_DATA / the spec's `data_dir` "
                + "at an IDX directory)"
        case .missingFile(let directory, let name):
            return "\(directory): missing \(name) (or \(name).gz) "
                + "(an IDX directory needs the train and t10k images and labels files)"
        case .subsetTooLarge(let part, let requested, let available):
            let key = part == "train" ? "train_size" : "test_size"
            return "requested \(requested) \(part) samples but the \(part) set has only \(available) "
                + "(set \(key) to at most \(available))"
        }
    }
}
