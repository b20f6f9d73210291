/// Little-endian binary encoding for messages between ranks: exact for doubles
/// (NaN and infinities included), independent of host byte order, no parsing.
public struct WireWriter: Sendable {
    public private(set) var bytes: [UInt8] = []
    public init() {}

    public mutating func write(_ v: UInt64) {
        withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) }
    }
    public mutating func write(_ v: Int) { write(UInt64(bitPattern: Int64(v))) }
    public mutating func write(_ v: Double) { write(v.bitPattern) }
    public mutating func write(_ v: String) { write(bytes: Array(v.utf8)) }
    public mutating func write(bytes b: [UInt8]) {
        write(b.count)
        bytes.append(contentsOf: b)
    }
}

public struct WireError: Error, CustomStringConvertible {
    public let description: String
    public init(description: String) { self.description = description }
}

public struct WireReader {
    private let bytes: [UInt8]
    private var offset = 0
    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    public var isAtEnd: Bool { offset == bytes.count }

    public mutating func readUInt64() throws -> UInt64 {
        guard offset + 8 <= bytes.count else { throw WireError(description: "message truncated at byte \(offset)") }
        var v: UInt64 = 0
        for i in 0..<8 { v |= UInt64(bytes[offset + i]) << (8 * UInt64(i)) }
        offset += 8
        return v
    }
    public mutating func readInt() throws -> Int { Int(Int64(bitPattern: try readUInt64())) }
    public mutating func readDouble() throws -> Double { Double(bitPattern: try readUInt64()) }
    public mutating func readBytes() throws -> [UInt8] {
        let n = try readInt()
        guard n >= 0, offset + n <= bytes.count else {
            throw WireError(description: "message truncated: \(n) bytes announced at byte \(offset)")
        }
        defer { offset += n }
        return Array(bytes[offset..<(offset + n)])
    }
    public mutating func readString() throws -> String { String(decoding: try readBytes(), as: UTF8.self) }
}
