import Foundation

/// The identity of one random stream: a 64-bit key derived from the sweep seed and
/// named parts (task coordinates and a purpose such as `"init"` or `"subset"`).
///
/// Never derived from the MPI rank, the time or the order of execution, so a task
/// draws the same numbers on any rank, in any run, after any resume.
public struct StreamKey: Hashable, Sendable, CustomStringConvertible {
    public let value: UInt64

    public init(value: UInt64) { self.value = value }

    /// FNV-1a over the seed and each part (length-prefixed, so `["ab","c"]` and
    /// `["a","bc"]` differ), then SplitMix64's finalizer to spread the bits.
    public init(seed: UInt64, _ parts: [String]) {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ byte: UInt8) { h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        for i in 0..<8 { mix(UInt8(truncatingIfNeeded: seed >> (8 * UInt64(i)))) }
        for part in parts {
            let bytes = Array(part.utf8)
            for i in 0..<4 { mix(UInt8(truncatingIfNeeded: bytes.count >> (8 * i))) }
            bytes.forEach(mix)
        }
        value = splitMix64Finalize(h)
    }

    public var description: String { String(value, radix: 16) }
}

@inline(__always)
func splitMix64Finalize(_ x: UInt64) -> UInt64 {
    var z = x &+ 0x9e37_79b9_7f4a_7c15
    z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
    z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
    return z ^ (z >> 31)
}

/// Philox4x32-10 (Salmon et al., SC'11), a counter-based generator: block `c` of a
/// stream is a pure function of (key, c), so streams are reproducible anywhere and
/// independent of each other without any shared state.
///
/// The algorithms on top (uniforms, Box–Muller normals, Fisher–Yates) are written
/// here rather than taken from the standard library, whose algorithms may change.
public struct RandomStream: Sendable {
    private let k0: UInt32
    private let k1: UInt32
    private var block: UInt64 = 0
    private var buffer: (UInt32, UInt32, UInt32, UInt32) = (0, 0, 0, 0)
    private var used = 4
    private var spareNormal: Double?

    public init(_ key: StreamKey) {
        k0 = UInt32(truncatingIfNeeded: key.value)
        k1 = UInt32(truncatingIfNeeded: key.value >> 32)
    }

    public init(seed: UInt64, _ parts: [String]) { self.init(StreamKey(seed: seed, parts)) }

    /// Philox4x32 with 10 rounds on counter (block, 0).
    static func philox(counter: UInt64, k0: UInt32, k1: UInt32) -> (UInt32, UInt32, UInt32, UInt32) {
        var c0 = UInt32(truncatingIfNeeded: counter), c1 = UInt32(truncatingIfNeeded: counter >> 32)
        var c2: UInt32 = 0, c3: UInt32 = 0
        var key0 = k0, key1 = k1
        for _ in 0..<10 {
            let p0 = UInt64(0xD251_1F53) &* UInt64(c0)
            let p1 = UInt64(0xCD9E_8D57) &* UInt64(c2)
            let hi0 = UInt32(truncatingIfNeeded: p0 >> 32), lo0 = UInt32(truncatingIfNeeded: p0)
            let hi1 = UInt32(truncatingIfNeeded: p1 >> 32), lo1 = UInt32(truncatingIfNeeded: p1)
            (c0, c1, c2, c3) = (hi1 ^ c1 ^ key0, lo1, hi0 ^ c3 ^ key1, lo0)
            key0 = key0 &+ 0x9E37_79B9
            key1 = key1 &+ 0xBB67_AE85
        }
        return (c0, c1, c2, c3)
    }

    public mutating func nextUInt32() -> UInt32 {
        if used == 4 {
            buffer = Self.philox(counter: block, k0: k0, k1: k1)
            block &+= 1
            used = 0
        }
        defer { used += 1 }
        switch used {
        case 0: return buffer.0
        case 1: return buffer.1
        case 2: return buffer.2
        default: return buffer.3
        }
    }

    public mutating func nextUInt64() -> UInt64 {
        UInt64(nextUInt32()) << 32 | UInt64(nextUInt32())
    }

    /// Uniform in [0, 1) with 53 random bits.
    public mutating func nextUniform() -> Double {
        Double(nextUInt64() >> 11) * 0x1.0p-53
    }

    /// Uniform integer in 0..<n, unbiased (rejection of the short last interval).
    public mutating func nextInt(below n: Int) -> Int {
        precondition(n > 0, "nextInt(below:) needs n > 0")
        let bound = UInt64(n)
        let limit = UInt64.max - UInt64.max % bound
        while true {
            let r = nextUInt64()
            if r < limit { return Int(r % bound) }
        }
    }

    /// Standard normal by Box–Muller; pairs are used in order.
    public mutating func nextNormal() -> Double {
        if let z = spareNormal { spareNormal = nil; return z }
        let u1 = 1.0 - nextUniform()          // (0, 1]: log is finite
        let u2 = nextUniform()
        let r = (-2.0 * log(u1)).squareRoot()
        let theta = 2.0 * Double.pi * u2
        spareNormal = r * sin(theta)
        return r * cos(theta)
    }

    /// A uniformly random permutation of 0..<n (Fisher–Yates).
    public mutating func permutation(_ n: Int) -> [Int] {
        var p = Array(0..<n)
        var i = n - 1
        while i > 0 {
            let j = nextInt(below: i + 1)
            p.swapAt(i, j)
            i -= 1
        }
        return p
    }

    /// `count` distinct indices from 0..<n, in the order drawn (a partial Fisher–Yates).
    public mutating func sample(_ count: Int, from n: Int) -> [Int] {
        precondition(count <= n, "cannot sample \(count) of \(n)")
        var p = Array(0..<n)
        for i in 0..<count {
            let j = i + nextInt(below: n - i)
            p.swapAt(i, j)
        }
        return Array(p[0..<count])
    }

    /// A `rows` x `cols` matrix of N(0, std^2) entries, row by row.
    public mutating func normalMatrix<T: BLASScalar>(rows: Int, cols: Int, std: Double = 1,
                                                    as: T.Type = T.self) -> Matrix<T> {
        var m = Matrix<T>(rows: rows, cols: cols)
        for i in 0..<m.storage.count { m.storage[i] = T(std * nextNormal()) }
        return m
    }
}
