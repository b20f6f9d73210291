import CZlib

/// A file read through zlib's `gz*` functions, which inflate gzip files and pass
/// plain files through unchanged, so one code path reads both.
///
/// Not thread-safe; closes the file when released.
final class GzipReader {
    let path: String
    private let file: gzFile

    /// Opens `path` for reading; `nil` if zlib cannot open it (errno says why).
    init?(path: String) {
        guard let file = gzopen(path, "rb") else { return nil }
        self.path = path
        self.file = file
        // A larger buffer than zlib's 8 KiB default: fewer read syscalls on 26 MB files.
        gzbuffer(file, 1 << 17)
    }

    deinit { gzclose(file) }

    /// True once a read has shown the file is not gzip-compressed (no 1f 8b magic):
    /// zlib decides this from the first bytes, so call it after the first `read`.
    var isPlain: Bool { gzdirect(file) == 1 }

    /// Reads up to `count` bytes into `buffer`; fewer only at end of file.
    ///
    /// Throws `DatasetError.corruptGzip` when zlib reports a damaged stream.
    func read(into buffer: UnsafeMutableRawBufferPointer, count: Int) throws -> Int {
        precondition(count <= buffer.count && count <= Int(Int32.max))
        guard count > 0, let base = buffer.baseAddress else { return 0 }
        let n = gzread(file, base, UInt32(count))
        if n < 0 { throw DatasetError.corruptGzip(path: path, reason: errorMessage) }
        // gzread returns a short count on a cut-off gzip stream and records the error;
        // a short plain read is just the end of the file.
        if Int(n) < count, let reason = pendingError { throw DatasetError.corruptGzip(path: path, reason: reason) }
        return Int(n)
    }

    /// zlib's message for the last error, or a generic one.
    private var errorMessage: String { pendingError ?? "unknown zlib error" }

    /// The recorded error, ignoring Z_OK and Z_BUF_ERROR (end of input, reported as truncation).
    private var pendingError: String? {
        var code: Int32 = 0
        guard let message = gzerror(file, &code), code != Z_OK else { return nil }
        if code == Z_BUF_ERROR { return nil }
        return String(cString: message)
    }
}
