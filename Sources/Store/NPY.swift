import Foundation

/// NumPy's `.npy` format, version 1.0, for 2-D float arrays.
///
/// Layout: the magic `\x93NUMPY`, version bytes 1 0, a little-endian UInt16
/// header length, then an ASCII dict padded with spaces and ending in `\n`
/// so the data starts at a multiple of 64 bytes (numpy's own alignment rule),
/// then the raw data. ``OutputArray`` bytes are already little-endian and
/// row-major, so they are copied as they are under `'<f2'`, `'<f4'` or `'<f8'`.
enum NPY {
    /// The alignment numpy pads headers to.
    static let alignment = 64

    /// The complete file contents for `array`.
    ///
    /// - Precondition: `array` is well-formed (``OutputArray/problem`` is nil).
    static func encode(_ array: OutputArray) -> Data {
        precondition(array.problem == nil, "NPY.encode: \(array.problem ?? "")")
        let descr = ["float16": "<f2", "float32": "<f4"][array.dtype] ?? "<f8"
        var header = "{'descr': '\(descr)', 'fortran_order': False, 'shape': (\(array.rows), \(array.cols)), }"
        let preambleSize = 6 + 2 + 2  // magic, version, header length
        let unpadded = preambleSize + header.utf8.count + 1  // + the final newline
        header += String(repeating: " ", count: (alignment - unpadded % alignment) % alignment) + "\n"

        let headerLength = UInt16(header.utf8.count)  // < 200 bytes: two dims never need more
        var data = Data([0x93] + Array("NUMPY".utf8) + [1, 0])
        data.append(UInt8(truncatingIfNeeded: headerLength))
        data.append(UInt8(truncatingIfNeeded: headerLength >> 8))
        data.append(contentsOf: Array(header.utf8))
        data.append(contentsOf: array.bytes)
        return data
    }
}
