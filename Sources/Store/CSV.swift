/// Comma-separated values as RFC 4180 and pandas read them.
enum CSV {
    /// `text` as one field: quoted, with inner quotes doubled, when it holds
    /// a comma, a quote or a line break; otherwise unchanged (even if empty).
    static func field(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// One record, `\n`-terminated.
    static func line(_ fields: [String]) -> String {
        fields.map(field).joined(separator: ",") + "\n"
    }
}
