import Foundation

/// The table `overparam analyze` prints, and the same numbers as CSV: one row per
/// cell, mean ± std over seeds, then the ensemble-averaged prediction's test metrics.
public enum SummaryTable {
    /// Metrics shown in the table, in this order, when present; `all` adds the rest.
    static let preferred = ["train_loss", "test_loss", "train_mse", "test_mse", "train_error", "test_error",
                            "readout_norm", "epochs"]
    static let ensembleNames = ["test_mse", "test_error"]

    static func metricNames(_ cells: [CellSummary], all: Bool) -> [String] {
        let present = Set(cells.flatMap { $0.metrics.keys })
        return preferred.filter(present.contains) + (all ? present.subtracting(preferred).sorted() : [])
    }

    public static func render(_ cells: [CellSummary], allMetrics: Bool = false) -> String {
        let names = metricNames(cells, all: allMetrics)
        let ensemble = ensembleNames.filter { n in cells.contains { $0.ensemble[n] != nil } }
        var table = TextTable(header: ["cell", "seeds"] + names + ensemble.map { "ensemble_" + $0 })
        for c in cells {
            var row = [c.cell, c.diverged > 0 ? "\(c.ok)/\(c.tasks) (\(c.diverged) div)" : "\(c.ok)/\(c.tasks)"]
            for n in names {
                if let m = c.metrics[n], m.count > 0 {
                    row.append(m.count > 1 ? "\(number(m.mean, 4)) ± \(number(m.standardDeviation, 2))" : number(m.mean, 4))
                } else {
                    row.append("-")
                }
            }
            for n in ensemble { row.append(c.ensemble[n].map { number($0, 4) } ?? "-") }
            table.add(row)
        }
        return table.render()
    }

    /// Every metric's mean, std and count per cell, and the ensemble metrics, as CSV
    /// (full precision), for plots and further analysis.
    public static func csv(_ cells: [CellSummary]) -> String {
        let names = metricNames(cells, all: true)
        var header = ["cell", "config", "n", "tasks", "ok", "diverged", "fitted", "ensemble_size"]
        for n in names { header += ["\(n)_mean", "\(n)_std", "\(n)_n"] }
        header += ensembleNames.map { "ensemble_" + $0 }
        header += ["fluctuation", "member_error_low", "member_error_high", "error_by_ensemble_size"]
        var lines = [header.joined(separator: ",")]
        for c in cells {
            var row = [quoted(c.cell), quoted(c.config), ScalingGroup.size(c).map { "\($0)" } ?? "",
                       "\(c.tasks)", "\(c.ok)", "\(c.diverged)", "\(c.fitted)", "\(c.ensembleSize)"]
            for n in names {
                if let m = c.metrics[n], m.count > 0 {
                    row += ["\(m.mean)", "\(m.standardDeviation)", "\(m.count)"]
                } else {
                    row += ["", "", "0"]
                }
            }
            row += ensembleNames.map { c.ensemble[$0].map { "\($0)" } ?? "" }
            row += [c.fluctuation.map { "\($0)" } ?? "",
                    c.memberErrorInterval.map { "\($0.low)" } ?? "", c.memberErrorInterval.map { "\($0.high)" } ?? "",
                    c.errorBySize.map { "\($0.size):\($0.error)" }.joined(separator: ";")]
            lines.append(row.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func quoted(_ s: String) -> String {
        s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }

    static func number(_ x: Double, _ digits: Int) -> String {
        if x == 0 { return "0" }
        if abs(x) >= 1e5 || abs(x) < 1e-3 { return String(format: "%.\(max(0, digits - 1))e", x) }
        return String(format: "%.\(digits)g", x)
    }
}
