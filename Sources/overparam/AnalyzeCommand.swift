import Analysis
import ArgumentParser
import Foundation
import Store

struct AnalyzeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Per cell: mean ± std over seeds of every metric, and the ensemble-averaged prediction's test metrics.")

    @Argument(help: "A store written by `overparam sweep`.")
    var store: String

    @Option(help: "Also write the per-cell statistics (every metric, full precision) to this CSV file.")
    var csv: String?

    @Flag(help: "Show every stored metric in the table, not just the main ones.")
    var allMetrics = false

    func run() throws {
        do {
            let s = try SweepStore.open(path: store)
            let cells = try CellStatistics.summarize(s)
            let done = cells.reduce(0) { $0 + $1.ok + $1.diverged }
            let total = cells.reduce(0) { $0 + $1.tasks }
            print("\(store): \(done)/\(total) tasks stored, \(cells.count) cells")
            print(SummaryTable.render(cells, allMetrics: allMetrics))
            if let fluctuations = FluctuationReport.render(cells) {
                print("\nFluctuations over initializations (N: parameters, or features for random_features)")
                print(fluctuations)
            } else if let live = s.provenance["last_run.fluctuation_report"] {
                // No raw outputs stored (outputs: none): show what rank 0 computed live.
                print("\nFluctuations over initializations, as rank 0 computed them live in the last run")
                print(live)
            }
            if let csv {
                do { try SummaryTable.csv(cells).write(toFile: csv, atomically: true, encoding: .utf8) }
                catch { throw CLIError("cannot write \(csv): \(error.localizedDescription)") }
                print("wrote \(csv)")
            }
        } catch let error as StoreError {
            throw CLIError(error.description)
        }
    }
}

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write metrics.csv and the outputs as .npy files (numpy.load reads them).")

    @Argument(help: "A store written by `overparam sweep`.")
    var store: String

    @Argument(help: "Directory to write into (created if missing).")
    var directory: String

    func run() throws {
        let s = try SweepStore.open(path: store)
        let files = try StoreExport.write(store: s, to: directory)
        print("wrote \(files.count) files to \(directory)")
    }
}
