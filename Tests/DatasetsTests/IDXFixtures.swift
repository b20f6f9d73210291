import CZlib
import Foundation

/// A fresh directory under the system temporary directory, removed when released.
final class ScratchDirectory {
    let path: String

    init() throws {
        path = (NSTemporaryDirectory() as NSString).appendingPathComponent("DatasetsTests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// Writes `bytes` to `name` in the directory, gzip-compressed if `gzip`; returns the path.
    @discardableResult
    func write(_ bytes: [UInt8], to name: String, gzip: Bool = false) throws -> String {
        let file = (path as NSString).appendingPathComponent(name)
        if gzip {
            try gzipWrite(bytes, to: file)
        } else {
            try Data(bytes).write(to: URL(fileURLWithPath: file))
        }
        return file
    }
}

struct FixtureError: Error, CustomStringConvertible {
    let description: String
}

/// Writes `bytes` as a gzip file with zlib's own writer (the reader's counterpart).
func gzipWrite(_ bytes: [UInt8], to path: String) throws {
    guard let file = gzopen(path, "wb") else { throw FixtureError(description: "gzopen(\(path)) failed") }
    let written = bytes.withUnsafeBytes { gzwrite(file, $0.baseAddress, UInt32($0.count)) }
    let closed = gzclose(file)
    guard Int(written) == bytes.count || bytes.isEmpty, closed == Z_OK else {
        throw FixtureError(description: "gzip write of \(path) failed")
    }
}

/// An IDX file's bytes: magic `00 00 type rank`, big-endian dimensions, then `data`.
/// Nothing is validated, so corrupt files can be built too.
func idxBytes(type: UInt8 = 0x08, dims: [UInt32], data: [UInt8]) -> [UInt8] {
    var out: [UInt8] = [0, 0, type, UInt8(dims.count)]
    for d in dims { out += [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: d >> $0) } }
    return out + data
}

/// `count` deterministic bytes, varied enough to catch reordering.
func patternBytes(_ count: Int, salt: Int = 0) -> [UInt8] {
    (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ salt &* 7 &+ $0 / 251) }
}

/// Writes a small MNIST-layout directory: `trainCount` and `testCount` samples of
/// `shape`, labels cycling through `0..<classes`.
func writeIDXDirectory(in dir: ScratchDirectory, trainCount: Int, testCount: Int, shape: [UInt32] = [3, 2],
                       classes: Int = 4, gzip: Bool = true) throws {
    let features = shape.reduce(1) { $0 * Int($1) }
    func write(_ prefix: String, _ n: Int, salt: Int) throws {
        let suffix = gzip ? ".gz" : ""
        try dir.write(idxBytes(dims: [UInt32(n)] + shape, data: patternBytes(n * features, salt: salt)),
                      to: "\(prefix)-images-idx3-ubyte\(suffix)", gzip: gzip)
        try dir.write(idxBytes(dims: [UInt32(n)], data: (0..<n).map { UInt8($0 % classes) }),
                      to: "\(prefix)-labels-idx1-ubyte\(suffix)", gzip: gzip)
    }
    try write("train", trainCount, salt: 1)
    try write("t10k", testCount, salt: 2)
}
