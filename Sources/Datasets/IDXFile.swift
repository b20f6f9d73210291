import Foundation

/// An unsigned-byte IDX array (the format of the MNIST and Fashion-MNIST files):
/// a shape and its elements in row-major order.
///
/// The IDX layout is `00 00 <type> <rank>`, then `rank` big-endian UInt32
/// dimensions, then the elements. Only type 0x08 (unsigned byte) is read.
public struct IDXArray: Sendable, Equatable {
    /// The shape, outermost first; every entry is at least 1, there are 1 to 4.
    public let dims: [Int]
    /// `dims.reduce(1, *)` elements, row-major.
    public let bytes: [UInt8]

    /// The most elements a file may declare: headers beyond it are rejected as corrupt
    /// before anything is allocated.
    public static let maxElements = 1 << 31

    /// Builds an array from a shape and its elements.
    ///
    /// - Precondition: `bytes.count` is the product of `dims`.
    public init(dims: [Int], bytes: [UInt8]) {
        precondition(bytes.count == dims.reduce(1, *), "IDX shape \(dims) needs \(dims.reduce(1, *)) bytes, got \(bytes.count)")
        self.dims = dims
        self.bytes = bytes
    }

    /// Reads a plain or gzip-compressed unsigned-byte IDX file.
    ///
    /// Throws `DatasetError` if the file is missing or unreadable, its magic is not
    /// `00 00 08 <rank>` with rank 1...4, a dimension is 0, the dimensions exceed
    /// `maxElements` (checked before allocating), the gzip stream is damaged, or the
    /// data is shorter or longer than the header says.
    public static func read(path: String) throws -> IDXArray {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw DatasetError.fileNotFound(path: path)
        }
        if isDirectory.boolValue { throw DatasetError.unreadable(path: path, reason: "is a directory") }
        guard let reader = GzipReader(path: path) else {
            throw DatasetError.unreadable(path: path, reason: String(cString: strerror(errno)))
        }

        let dims = try readHeader(reader)
        let expected = dims.reduce(1, *)
        let headerLength = 4 + 4 * dims.count

        // A plain file's size settles truncation and trailing bytes without reading;
        // a gzip file's inflated size is only known by inflating it.
        if reader.isPlain, let size = fileSize(path) {
            let available = size - headerLength
            if available < expected { throw DatasetError.truncated(path: path, expected: expected, actual: available) }
            if available > expected {
                throw DatasetError.trailingBytes(path: path, expected: expected, extra: available - expected)
            }
        }

        let bytes = try readData(reader, expected: expected)
        return IDXArray(dims: dims, bytes: bytes)
    }

    /// The validated shape from the magic number and dimension words.
    private static func readHeader(_ reader: GzipReader) throws -> [Int] {
        let path = reader.path
        var magic = [UInt8](repeating: 0, count: 4)
        let got = try magic.withUnsafeMutableBytes { try reader.read(into: $0, count: 4) }
        guard got == 4 else { throw DatasetError.notIDX(path: path, detail: "only \(got) bytes, shorter than a header") }
        guard magic[0] == 0, magic[1] == 0 else {
            let shown = magic.map { String(format: "%02x", $0) }.joined(separator: " ")
            throw DatasetError.notIDX(path: path, detail: "magic bytes are \(shown), expected 00 00 08 <rank>")
        }
        guard magic[2] == 0x08 else { throw DatasetError.unsupportedType(path: path, code: magic[2]) }
        let rank = Int(magic[3])
        guard (1...4).contains(rank) else { throw DatasetError.unsupportedRank(path: path, rank: rank) }

        var words = [UInt8](repeating: 0, count: 4 * rank)
        let gotWords = try words.withUnsafeMutableBytes { try reader.read(into: $0, count: 4 * rank) }
        guard gotWords == 4 * rank else {
            throw DatasetError.notIDX(path: path, detail: "header cut short in its \(rank) dimensions")
        }
        let raw: [UInt32] = (0..<rank).map { d in
            words[(4 * d)..<(4 * d + 4)].reduce(0) { $0 << 8 | UInt32($1) }
        }
        // Multiply in 64 bits, stopping as soon as the bound is passed: four UInt32
        // dimensions could overflow even UInt64.
        var product: UInt64 = 1
        for d in raw {
            product *= UInt64(d)
            if product > UInt64(maxElements) { throw DatasetError.tooLarge(path: path, dims: raw) }
        }
        let dims = raw.map { Int($0) }
        if dims.contains(0) { throw DatasetError.emptyDimension(path: path, dims: dims) }
        return dims
    }

    /// Exactly `expected` data bytes, then a check that nothing follows.
    private static func readData(_ reader: GzipReader, expected: Int) throws -> [UInt8] {
        // The header is trusted only so far before the data confirms it: a damaged gzip
        // file claiming 2 GiB yet holding a few bytes allocates at most 64 MiB. The
        // buffer then doubles, up to `expected`.
        var buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: min(expected, 1 << 26), alignment: 1)
        defer { buffer.deallocate() }
        var filled = 0
        while filled < expected {
            if filled == buffer.count {
                let larger = UnsafeMutableRawBufferPointer.allocate(
                    byteCount: min(expected, 2 * buffer.count), alignment: 1)
                larger.copyMemory(from: UnsafeRawBufferPointer(buffer))
                buffer.deallocate()
                buffer = larger
            }
            let room = UnsafeMutableRawBufferPointer(rebasing: buffer[filled...])
            let n = try reader.read(into: room, count: min(room.count, 1 << 24))
            if n == 0 { break }
            filled += n
        }
        if filled < expected {
            throw DatasetError.truncated(path: reader.path, expected: expected, actual: filled)
        }
        var extra = 0
        var probe = [UInt8](repeating: 0, count: 1 << 16)
        try probe.withUnsafeMutableBytes { scratch in
            while case let n = try reader.read(into: scratch, count: scratch.count), n > 0 { extra += n }
        }
        if extra > 0 { throw DatasetError.trailingBytes(path: reader.path, expected: expected, extra: extra) }
        return [UInt8](unsafeUninitializedCapacity: expected) { out, count in
            UnsafeMutableRawBufferPointer(out).copyMemory(from: UnsafeRawBufferPointer(buffer))
            count = expected
        }
    }

    private static func fileSize(_ path: String) -> Int? {
        (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue
    }
}
