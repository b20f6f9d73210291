import Foundation

/// The fluctuation section of `overparam analyze`: per cell, ||f - f̄||, single-net
/// and ensemble errors, and for each group of widths the jamming point and the
/// power-law fits of Geiger et al. (they find ||f - f̄|| ~ N^-1/4 and
/// eps_N - eps(f̄) ~ N^-1/2 beyond N*).
public enum FluctuationReport {
    /// nil when no cell has two members to compare.
    public static func render(_ cells: [CellSummary]) -> String? {
        guard cells.contains(where: { $0.fluctuation != nil }) else { return nil }
        var lines: [String] = []
        for group in ScalingGroup.groups(cells) {
            var table = TextTable(header: ["cell", "N", "fitted", "||f - f̄||", "eps_N [95% CI]", "eps(f̄)",
                                           "eps_N - eps(f̄)", "eps by ensemble size 1,2,4,..."])
            for c in group.cells {
                let n = ScalingGroup.size(c).map { String(format: "%.0f", $0) } ?? "-"
                let rms = c.fluctuation.map { SummaryTable.number($0.squareRoot(), 4) } ?? "-"
                let single = c.errorBySize.first?.error
                let interval = c.memberErrorInterval.map {
                    " [\(SummaryTable.number($0.low, 3)), \(SummaryTable.number($0.high, 3))]"
                } ?? ""
                let ensemble = c.ensemble["test_error"] ?? c.ensemble["test_mse"]
                let gap = single.flatMap { s in ensemble.map { s - $0 } }
                table.add([c.cell, n, "\(c.fitted)/\(c.ok)",
                           rms, (single.map { SummaryTable.number($0, 4) } ?? "-") + interval,
                           ensemble.map { SummaryTable.number($0, 4) } ?? "-",
                           gap.map { SummaryTable.number($0, 3) } ?? "-",
                           c.errorBySize.map { SummaryTable.number($0.error, 3) }.joined(separator: " ")])
            }
            lines.append(table.render())
            if let j = group.jamming {
                lines.append(String(format: "jamming: N* = %.0f (the smallest N from which every seed fits the training set; %d/%d seeds there)",
                                    j.n, j.fitted, j.seeds))
            } else {
                lines.append("jamming: no N* (the largest size does not fit every training point with every seed)")
            }
            if let fit = group.powerLaw({ $0.fluctuation?.squareRoot() }, name: "||f - f̄||") {
                lines.append(fit.description)
            }
            if let fit = group.powerLaw({ c in
                guard let s = c.errorBySize.first?.error, let e = c.ensemble["test_error"] ?? c.ensemble["test_mse"] else { return nil }
                return s - e
            }, name: "eps_N - eps(f̄)") {
                lines.append(fit.description)
            }
            lines.append("")
        }
        return lines.joined(separator: "\n")
    }
}
