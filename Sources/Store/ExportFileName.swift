/// Turns arbitrary keys (data keys, which come from specs) into safe file names.
enum ExportFileName {
    /// `key` as a single, harmless path component.
    ///
    /// Postconditions: only `[A-Za-z0-9._-]`; never empty; never starts with
    /// `.` (so never `.` or `..`, nor a hidden file); never contains `..`;
    /// at most 117 characters. Every other character becomes `_`. When
    /// anything had to change, a hash of the original key is appended, so
    /// `"a/b"` and `"a_b"` do not land in the same file. Deterministic.
    static func sanitized(_ key: String) -> String {
        var name = String(key.unicodeScalars.map { scalar -> Character in
            isAllowed(scalar) ? Character(scalar) : "_"
        })
        while name.contains("..") { name = name.replacingOccurrences(of: "..", with: "._") }
        if name.hasPrefix(".") { name = "_" + name }
        if name.isEmpty { name = "_" }
        let maxBase = 100
        if name != key || name.count > maxBase {
            name = String(name.prefix(maxBase)) + "-" + hexHash(key)
        }
        return name
    }

    private static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "A"..."Z", "a"..."z", "0"..."9", ".", "_", "-": return true
        default: return false
        }
    }

    /// 64-bit FNV-1a of the UTF-8 bytes, as 16 hex digits: stable across runs
    /// and platforms, unlike `Hasher`.
    private static func hexHash(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let digits = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
