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

    func run() throws {
        do {
            let s = try SweepStore.open(path: store)
            let cells = try CellStatistics.summarize(s)
            let done = cells.reduce(0) { $0 + $1.ok + $1.diverged }
            let total = cells.reduce(0) { $0 + $1.tasks }
            print("\(store): \(done)/\(total) tasks stored, \(cells.count) cells")
            print(SummaryTable.render(cells))
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
