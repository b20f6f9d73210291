import Foundation

/// A task's config JSON as spreadsheet cells.
enum ConfigCells {
    /// One cell per top-level key of the JSON object `text`, or nil when
    /// `text` is not a JSON object.
    ///
    /// Strings appear without quotes, `null` as an empty cell, numbers and
    /// booleans as JSON writes them (`0.1`, `true`; note a whole float such
    /// as `3.0` comes out as `3`), arrays and objects as compact JSON with
    /// sorted keys.
    static func cells(ofConfig text: String) -> [String: String]? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
            return nil
        }
        return object.mapValues(cell)
    }

    private static func cell(_ value: Any) -> String {
        if let string = value as? String { return string }
        if value is NSNull { return "" }
        // JSON text rather than `description`: it tells booleans from numbers
        // on every platform and formats both the same everywhere.
        guard let data = try? JSONSerialization.data(
            withJSONObject: value, options: [.fragmentsAllowed, .sortedKeys, .withoutEscapingSlashes])
        else { return "\(value)" }
        return String(decoding: data, as: UTF8.self)
    }
}
