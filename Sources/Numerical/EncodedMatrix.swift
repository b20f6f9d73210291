/// A matrix as little-endian bytes with its element type named: the form in which
/// outputs cross the wire and land in the store, independent of the host's byte order.
public struct EncodedMatrix: Sendable, Equatable {
    /// "float32" or "float64".
    public var dtype: String
    public var rows: Int
    public var cols: Int
    public var bytes: [UInt8]

    public init(dtype: String, rows: Int, cols: Int, bytes: [UInt8]) {
        self.dtype = dtype
        self.rows = rows
        self.cols = cols
        self.bytes = bytes
    }

    public init<T: BLASScalar>(_ m: Matrix<T>) {
        dtype = T.dtypeName
        rows = m.rows
        cols = m.cols
        bytes = []
        bytes.reserveCapacity(m.storage.count * MemoryLayout<T>.size)
        for v in m.storage {
            if let f = v as? Float {
                withUnsafeBytes(of: f.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
            } else {
                withUnsafeBytes(of: Double(v).bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
            }
        }
    }

    /// The values as Doubles (exact for both dtypes); nil for an unknown dtype or a
    /// byte count that does not match the shape.
    public func doubles() -> [Double]? {
        let n = rows * cols
        switch dtype {
        case "float32":
            guard bytes.count == 4 * n else { return nil }
            return (0..<n).map { i in
                var u: UInt32 = 0
                for b in 0..<4 { u |= UInt32(bytes[4 * i + b]) << (8 * UInt32(b)) }
                return Double(Float(bitPattern: u))
            }
        case "float64":
            guard bytes.count == 8 * n else { return nil }
            return (0..<n).map { i in
                var u: UInt64 = 0
                for b in 0..<8 { u |= UInt64(bytes[8 * i + b]) << (8 * UInt64(b)) }
                return Double(bitPattern: u)
            }
        default:
            return nil
        }
    }
}
