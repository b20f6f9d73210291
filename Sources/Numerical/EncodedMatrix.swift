/// A dense 2-D array of floats as raw bytes with its element type named: the form
/// in which a task's outputs (and the test targets) cross the wire, land in the
/// store and are exported to `.npy`.
///
/// The bytes are little-endian and row-major whatever the machine, so a store
/// written on one host reads the same on any other, and the exporter can copy
/// them verbatim into `.npy` files (`'<f4'` / `'<f8'`).
public struct EncodedMatrix: Sendable, Equatable {
    /// `"float16"`, `"float32"` or `"float64"`; see ``EncodedMatrix/elementSize(of:)``.
    public var dtype: String
    public var rows: Int
    public var cols: Int
    /// `rows * cols` elements, little-endian, row-major.
    public var bytes: [UInt8]

    /// Wraps raw bytes as they are. Nothing is checked here; readers check with
    /// ``EncodedMatrix/problem`` before trusting them.
    public init(dtype: String, rows: Int, cols: Int, bytes: [UInt8]) {
        self.dtype = dtype
        self.rows = rows
        self.cols = cols
        self.bytes = bytes
    }

    /// The matrix's elements in its own precision.
    public init<T: BLASScalar>(_ m: Matrix<T>) {
        if let floats = m.storage as? [Float] {
            self.init(float32: floats, rows: m.rows, cols: m.cols)
        } else {
            self.init(float64: m.storage.map { Double($0) }, rows: m.rows, cols: m.cols)
        }
    }

    /// A `float64` array holding `values` in row-major order.
    /// - Precondition: `rows >= 0`, `cols >= 0` and `values.count == rows * cols`.
    public init(float64 values: [Double], rows: Int, cols: Int) {
        self.init(dtype: "float64", rows: rows, cols: cols, bitPatterns: values.map(\.bitPattern))
    }

    /// A `float32` array holding `values` in row-major order.
    public init(float32 values: [Float], rows: Int, cols: Int) {
        self.init(dtype: "float32", rows: rows, cols: cols, bitPatterns: values.map(\.bitPattern))
    }

    /// The values rounded to IEEE half precision (`float16`): half the bytes of
    /// float32, about 3 significant digits, for stores of many seeds' outputs.
    public init(float16 values: [Double], rows: Int, cols: Int) {
        self.init(dtype: "float16", rows: rows, cols: cols, bitPatterns: values.map { Float16($0).bitPattern })
    }

    /// Element bit patterns as little-endian bytes (`bitPattern.littleEndian`, not a
    /// memory copy, so the bytes are the same on any host).
    private init<Bits: FixedWidthInteger>(dtype: String, rows: Int, cols: Int, bitPatterns: [Bits]) {
        precondition(rows >= 0 && cols >= 0 && bitPatterns.count == rows * cols,
                     "EncodedMatrix: \(bitPatterns.count) values do not fill shape (\(rows), \(cols))")
        var bytes: [UInt8] = []
        bytes.reserveCapacity(bitPatterns.count * MemoryLayout<Bits>.size)
        for bits in bitPatterns {
            withUnsafeBytes(of: bits.littleEndian) { bytes.append(contentsOf: $0) }
        }
        self.init(dtype: dtype, rows: rows, cols: cols, bytes: bytes)
    }

    /// Bytes per element of a dtype this format knows, or nil for any other.
    public static func elementSize(of dtype: String) -> Int? {
        switch dtype {
        case "float16": return 2
        case "float32": return 4
        case "float64": return 8
        default: return nil
        }
    }

    /// Why this array is not well-formed, or nil when it is: a known dtype, a
    /// non-negative shape, and exactly `rows * cols * elementSize` bytes.
    public var problem: String? {
        guard let size = Self.elementSize(of: dtype) else {
            return "dtype '\(dtype)' is not float16, float32 or float64"
        }
        guard rows >= 0, cols >= 0 else { return "shape (\(rows), \(cols)) is negative" }
        let (elements, overflow1) = rows.multipliedReportingOverflow(by: cols)
        let (expected, overflow2) = elements.multipliedReportingOverflow(by: size)
        guard !overflow1, !overflow2 else { return "shape (\(rows), \(cols)) is too large" }
        guard bytes.count == expected else {
            return "\(bytes.count) bytes for shape (\(rows), \(cols)) of \(dtype), expected \(expected)"
        }
        return nil
    }

    /// The elements in row-major order, widened to `Double` (exactly, for
    /// `float16` and `float32`; NaN and infinities are kept).
    /// - Precondition: the array is well-formed (``EncodedMatrix/problem`` is nil).
    ///   Arrays read from a store always are: the store checks them.
    public func doubles() -> [Double] {
        precondition(problem == nil, "EncodedMatrix.doubles(): \(problem ?? "")")
        let count = rows * cols
        return bytes.withUnsafeBytes { raw in
            if dtype == "float64" {
                return (0..<count).map { i in
                    Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self)))
                }
            } else if dtype == "float16" {
                return (0..<count).map { i in
                    Double(Float(Float16(bitPattern: UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)))))
                }
            } else {
                return (0..<count).map { i in
                    Double(Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self))))
                }
            }
        }
    }
}
