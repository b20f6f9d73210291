/// A plain-text table with left-aligned first column and right-aligned numbers.
public struct TextTable {
    public var header: [String]
    public var rows: [[String]] = []

    public init(header: [String]) { self.header = header }

    public mutating func add(_ row: [String]) { rows.append(row) }

    public func render() -> String {
        let all = [header] + rows
        let widths = header.indices.map { c in all.map { $0.indices.contains(c) ? $0[c].count : 0 }.max() ?? 0 }
        func format(_ row: [String]) -> String {
            row.enumerated().map { c, text in
                let pad = String(repeating: " ", count: max(0, widths[c] - text.count))
                return c == 0 ? text + pad : pad + text
            }.joined(separator: "  ")
        }
        let rule = widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")
        return ([format(header), rule] + rows.map(format)).joined(separator: "\n")
    }
}
