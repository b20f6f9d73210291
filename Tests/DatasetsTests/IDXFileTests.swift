import Datasets
import Foundation
import Testing

@Suite struct IDXFileTests {
    @Test func roundTrip3DPlainAnd4DGzip() throws {
        let dir = try ScratchDirectory()
        let cube = patternBytes(5 * 7 * 3)
        let plain = try dir.write(idxBytes(dims: [5, 7, 3], data: cube), to: "cube-idx3-ubyte")
        #expect(try IDXArray.read(path: plain) == IDXArray(dims: [5, 7, 3], bytes: cube))

        let tesseract = patternBytes(2 * 3 * 4 * 5, salt: 9)
        let gz = try dir.write(idxBytes(dims: [2, 3, 4, 5], data: tesseract), to: "t.gz", gzip: true)
        #expect(try IDXArray.read(path: gz) == IDXArray(dims: [2, 3, 4, 5], bytes: tesseract))
    }

    @Test func roundTrip1DAndMultiChunkGzip() throws {
        let dir = try ScratchDirectory()
        // Larger than the reader's 1 MiB-ish reads and not a multiple of them.
        let big = patternBytes(3_000_017)
        let path = try dir.write(idxBytes(dims: [3_000_017], data: big), to: "big.gz", gzip: true)
        let read = try IDXArray.read(path: path)
        #expect(read.dims == [3_000_017])
        #expect(read.bytes == big)
    }

    @Test func badMagic() throws {
        let dir = try ScratchDirectory()
        var bytes = idxBytes(dims: [2, 2], data: [1, 2, 3, 4])
        bytes[0] = 0x7f
        let path = try dir.write(bytes, to: "bad")
        try expectError(path, matching: "not an IDX file") {
            if case .notIDX = $0 { true } else { false }
        }
    }

    @Test func wrongTypeCode() throws {
        let dir = try ScratchDirectory()
        // 0x0D is IDX's float type.
        let path = try dir.write(idxBytes(type: 0x0D, dims: [2], data: [0, 0, 0, 0, 0, 0, 0, 0]), to: "floats")
        try expectError(path, matching: "only unsigned byte (0x08)") {
            $0 == .unsupportedType(path: path, code: 0x0D)
        }
    }

    @Test func rankOutsideOneToFour() throws {
        let dir = try ScratchDirectory()
        let none = try dir.write(idxBytes(dims: [], data: [7]), to: "rank0")
        try expectError(none, matching: "0 dimensions") { $0 == .unsupportedRank(path: none, rank: 0) }
        let five = try dir.write(idxBytes(dims: [1, 1, 1, 1, 1], data: [7]), to: "rank5")
        try expectError(five, matching: "5 dimensions") { $0 == .unsupportedRank(path: five, rank: 5) }
    }

    @Test func zeroDimension() throws {
        let dir = try ScratchDirectory()
        let path = try dir.write(idxBytes(dims: [3, 0], data: []), to: "empty")
        try expectError(path, matching: "zero dimension") { $0 == .emptyDimension(path: path, dims: [3, 0]) }
    }

    @Test func shortHeaders() throws {
        let dir = try ScratchDirectory()
        let empty = try dir.write([], to: "nothing")
        try expectError(empty, matching: "shorter than a header") {
            if case .notIDX = $0 { true } else { false }
        }
        let cut = try dir.write([0, 0, 8, 3, 0, 0, 0, 9], to: "cut")
        try expectError(cut, matching: "header cut short") {
            if case .notIDX = $0 { true } else { false }
        }
    }

    @Test(arguments: [false, true])
    func truncatedData(gzip: Bool) throws {
        let dir = try ScratchDirectory()
        let path = try dir.write(idxBytes(dims: [10, 10], data: patternBytes(60)), to: "short", gzip: gzip)
        try expectError(path, matching: "truncated IDX data: header says 100 bytes, file has 60 (re-download") {
            $0 == .truncated(path: path, expected: 100, actual: 60)
        }
    }

    /// A download cut off mid-stream is reported as truncated data, not as a zlib error.
    @Test func cutOffGzipStream() throws {
        let dir = try ScratchDirectory()
        let whole = try dir.write(idxBytes(dims: [200, 100], data: patternBytes(20_000)), to: "whole.gz", gzip: true)
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: whole)))
        let path = try dir.write(Array(bytes.prefix(bytes.count / 2)), to: "cut.gz")
        try expectError(path, matching: "truncated IDX data: header says 20000 bytes, file has") {
            if case .truncated(_, 20_000, let actual) = $0 { actual < 20_000 } else { false }
        }
    }

    @Test(arguments: [false, true])
    func trailingBytes(gzip: Bool) throws {
        let dir = try ScratchDirectory()
        let path = try dir.write(idxBytes(dims: [4], data: patternBytes(7)), to: "long", gzip: gzip)
        try expectError(path, matching: "3 bytes beyond the 4") {
            $0 == .trailingBytes(path: path, expected: 4, extra: 3)
        }
    }

    /// Headers past 2^31 elements fail on the header alone: the file holds 8 data
    /// bytes, and a reader that allocated first would need a terabyte.
    @Test func hugeHeadersRejectedBeforeAllocating() throws {
        let dir = try ScratchDirectory()
        let tera = try dir.write(idxBytes(dims: [1 << 20, 1 << 20], data: patternBytes(8)), to: "tera")
        let start = Date()
        try expectError(tera, matching: "exceed 2147483648 elements") {
            $0 == .tooLarge(path: tera, dims: [1 << 20, 1 << 20])
        }
        #expect(Date().timeIntervalSince(start) < 1)

        // Four maximal dimensions overflow 64-bit arithmetic if multiplied naively.
        let overflow = try dir.write(idxBytes(dims: [.max, .max, .max, .max], data: []), to: "overflow.gz", gzip: true)
        try expectError(overflow, matching: "exceed") { if case .tooLarge = $0 { true } else { false } }

        // One past the limit is rejected; exactly the limit is a (here truncated) file.
        let past = try dir.write(idxBytes(dims: [(1 << 31) + 1], data: []), to: "past")
        try expectError(past, matching: "exceed") { if case .tooLarge = $0 { true } else { false } }
        let limit = try dir.write(idxBytes(dims: [1 << 31], data: patternBytes(5)), to: "limit.gz", gzip: true)
        try expectError(limit, matching: "truncated") { $0 == .truncated(path: limit, expected: 1 << 31, actual: 5) }
    }

    @Test func damagedGzipStream() throws {
        let dir = try ScratchDirectory()
        let good = try dir.write(idxBytes(dims: [50], data: patternBytes(50)), to: "good.gz", gzip: true)
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: good)))
        bytes[bytes.count - 6] ^= 0xff   // inside the CRC-32 trailer
        let path = try dir.write(bytes, to: "damaged.gz")
        try expectError(path, matching: "corrupt gzip data") {
            if case .corruptGzip = $0 { true } else { false }
        }
    }

    @Test func missingAndUnreadable() throws {
        let dir = try ScratchDirectory()
        let missing = dir.path + "/train-images-idx3-ubyte.gz"
        try expectError(missing, matching: "train-images-idx3-ubyte.gz: not found") {
            $0 == .fileNotFound(path: missing)
        }
        try expectError(dir.path, matching: "is a directory") {
            if case .unreadable = $0 { true } else { false }
        }
    }
}

/// Expects `IDXArray.read(path:)` to throw a `DatasetError` that `matches`, with a
/// one-line description naming `path` and containing `text`.
func expectError(_ path: String, matching text: String, sourceLocation: SourceLocation = #_sourceLocation,
                 _ matches: (DatasetError) -> Bool) throws {
    try expectDatasetError(naming: path, containing: text, sourceLocation: sourceLocation, matches) {
        _ = try IDXArray.read(path: path)
    }
}

/// Expects `body` to throw a `DatasetError` that `matches`, whose description is one
/// line containing `name` and `text` and ending in a parenthesized fix.
func expectDatasetError(naming name: String, containing text: String,
                        sourceLocation: SourceLocation = #_sourceLocation,
                        _ matches: (DatasetError) -> Bool, _ body: () throws -> Void) throws {
    do {
        try body()
        Issue.record("expected a DatasetError containing \"\(text)\", got no error", sourceLocation: sourceLocation)
    } catch let error as DatasetError {
        let message = error.description
        #expect(matches(error), "unexpected error: \(message)", sourceLocation: sourceLocation)
        #expect(message.contains(name), "\(message) does not name \(name)", sourceLocation: sourceLocation)
        #expect(message.contains(text), "\(message) does not contain \(text)", sourceLocation: sourceLocation)
        #expect(!message.contains("\n"), "multi-line message", sourceLocation: sourceLocation)
        #expect(message.hasSuffix(")"), "\(message) does not end with a fix", sourceLocation: sourceLocation)
    }
}
