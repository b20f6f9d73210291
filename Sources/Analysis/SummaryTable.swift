import Foundation

/// The table `overparam analyze` prints: one row per cell, mean ± std over seeds,
/// then the ensemble-averaged prediction's test metrics.
public enum SummaryTable {
    /// Metrics shown first, in this order, when present; the rest follow sorted.
    static let preferred = ["train_mse", "test_mse", "train_error", "test_error", "readout_norm"]

    public static func render(_ cells: [CellSummary]) -> String {
        let present = Set(cells.flatMap { $0.metrics.keys })
        let names = preferred.filter(present.contains) + present.subtracting(preferred).sorted()
        let ensembleNames = ["test_mse", "test_error"].filter { n in cells.contains { $0.ensemble[n] != nil } }
        var table = TextTable(header: ["cell", "seeds"] + names + ensembleNames.map { "ensemble_" + $0 })
        for c in cells {
            var row = [c.cell, c.diverged > 0 ? "\(c.ok)/\(c.tasks) (\(c.diverged) div)" : "\(c.ok)/\(c.tasks)"]
            for n in names {
                if let m = c.metrics[n], m.count > 0 {
                    row.append(m.count > 1 ? "\(number(m.mean)) ± \(number(m.standardDeviation))" : number(m.mean))
                } else {
                    row.append("-")
                }
            }
            for n in ensembleNames { row.append(c.ensemble[n].map(number) ?? "-") }
            table.add(row)
        }
        return table.render()
    }

    static func number(_ x: Double) -> String {
        if x == 0 { return "0" }
        if abs(x) >= 1e5 || abs(x) < 1e-3 { return String(format: "%.3e", x) }
        return String(format: "%.4g", x)
    }
}
