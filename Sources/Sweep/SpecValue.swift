/// One resolved value of a spec key.
public enum SpecValue: Hashable, Sendable, CustomStringConvertible {
    case int(Int)
    case double(Double)
    case string(String)

    /// Canonical text: used in task ids, stream keys and fingerprints, so it must
    /// never change for a given value (Swift's shortest round-trip form for doubles).
    public var description: String {
        switch self {
        case .int(let v): return String(v)
        case .double(let v): return v.description
        case .string(let v): return v
        }
    }

    public var intValue: Int? { if case .int(let v) = self { return v }; return nil }
    public var doubleValue: Double? {
        switch self {
        case .double(let v): return v
        case .int(let v): return Double(v)
        case .string: return nil
        }
    }
    public var stringValue: String? { if case .string(let v) = self { return v }; return nil }

    /// As a JSON literal (strings quoted and escaped).
    var json: String {
        switch self {
        case .int(let v): return String(v)
        case .double(let v): return v.isFinite ? v.description : "null"
        case .string(let v): return jsonQuoted(v)
        }
    }
}

func jsonQuoted(_ s: String) -> String {
    var out = "\""
    for u in s.unicodeScalars {
        switch u {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        case _ where u.value < 0x20: out += String(format: "\\u%04x", u.value)
        default: out.unicodeScalars.append(u)
        }
    }
    return out + "\""
}

import Foundation
