import Foundation

/// Writes a store out as plain files for numpy, pandas or a spreadsheet.
public enum StoreExport {
    /// Exports `store` into `directory`:
    ///
    /// - `metrics.csv`: one row per task in plan order. Columns `task_index`,
    ///   `id`, `cell`, `seed`, `status`, `wall_seconds`, `rank`, `host`, then
    ///   one per config key (the union over tasks, sorted), then one per
    ///   metric name (the union, sorted). Tasks without a result, and keys a
    ///   task lacks, leave empty cells; NaN and infinities read `nan`, `inf`,
    ///   `-inf`. A config key equal to an earlier column is renamed
    ///   `config.<key>` (a config usually holds `seed`), a metric name equal
    ///   to an earlier column `metric.<name>`, so every header is unique.
    /// - `outputs/task-<index, six digits>.npy` for every task with outputs.
    /// - `targets/<key>.npy` for every stored target set, the key made safe
    ///   by ``ExportFileName/sanitized(_:)`` (no `/`, no `..`).
    ///
    /// Directories are created as needed; files already there are
    /// overwritten, others are left alone. Files are written in place, not
    /// via a temporary and a rename (that costs ~4× per file, which adds up
    /// over thousands of tasks): after an interrupted export, run it again.
    ///
    /// - Returns: the paths written (`directory` joined with the file name),
    ///   in the order written: outputs, targets, then `metrics.csv`.
    /// - Throws: ``StoreError/unwritable(path:reason:)`` naming the file or
    ///   directory that could not be written, or the store's errors.
    public static func write(store: SweepStore, to directory: String) throws -> [String] {
        try makeDirectory(directory)
        var written: [String] = []
        let outputsDirectory = join(directory, "outputs")
        var summaries: [Int: ResultRecord] = [:]
        var madeOutputsDirectory = false  // made on first use: no empty folder when nothing has outputs
        try store.forEachResult(includeOutputs: true) { result in
            if let outputs = result.outputs {
                if !madeOutputsDirectory {
                    try makeDirectory(outputsDirectory)
                    madeOutputsDirectory = true
                }
                let path = join(outputsDirectory, "task-\(zeroPadded(result.taskIndex, width: 6)).npy")
                try writeFile(NPY.encode(outputs), to: path)
                written.append(path)
            }
            var summary = result
            summary.outputs = nil  // only the CSV fields are kept: memory stays small
            summaries[result.taskIndex] = summary
        }

        let keys = try store.targetDataKeys()
        if !keys.isEmpty { try makeDirectory(join(directory, "targets")) }
        for key in keys {
            guard let array = try store.targets(dataKey: key) else { continue }
            let path = join(join(directory, "targets"), ExportFileName.sanitized(key) + ".npy")
            try writeFile(NPY.encode(array), to: path)
            written.append(path)
        }

        let csvPath = join(directory, "metrics.csv")
        let csv = try metricsCSV(tasks: store.tasks(), results: summaries, storePath: store.path)
        try writeFile(Data(csv.utf8), to: csvPath)
        written.append(csvPath)
        return written
    }

    /// The text of `metrics.csv`; see ``write(store:to:)`` for its columns.
    static func metricsCSV(tasks: [TaskRecord], results: [Int: ResultRecord], storePath: String) throws -> String {
        let configs = try tasks.map { task in
            guard let cells = ConfigCells.cells(ofConfig: task.config) else {
                throw StoreError.damaged(path: storePath, reason: "config of task '\(task.id)' is not a JSON object")
            }
            return cells
        }
        let configKeys = Set(configs.flatMap(\.keys)).sorted()
        let metricNames = Set(results.values.flatMap(\.metrics.keys)).sorted()

        var header = ["task_index", "id", "cell", "seed", "status", "wall_seconds", "rank", "host"]
        var taken = Set(header)
        for key in configKeys { header.append(uniqueName(key, prefix: "config.", taken: &taken)) }
        for name in metricNames { header.append(uniqueName(name, prefix: "metric.", taken: &taken)) }

        var text = CSV.line(header)
        for (task, config) in zip(tasks, configs) {
            let result = results[task.index]
            var fields = [String(task.index), task.id, task.cell, String(task.seed),
                          result?.status ?? "", result.map { "\($0.wallSeconds)" } ?? "",
                          result.map { String($0.rank) } ?? "", result?.host ?? ""]
            fields += configKeys.map { config[$0] ?? "" }
            fields += metricNames.map { name in result?.metrics[name].map { "\($0)" } ?? "" }
            text += CSV.line(fields)
        }
        return text
    }

    /// `base`, or `base` behind as many `prefix`es as it takes to be new; records it as taken.
    private static func uniqueName(_ base: String, prefix: String, taken: inout Set<String>) -> String {
        var name = base
        while taken.contains(name) { name = prefix + name }
        taken.insert(name)
        return name
    }

    private static func zeroPadded(_ value: Int, width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    private static func join(_ directory: String, _ name: String) -> String {
        directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }

    private static func makeDirectory(_ path: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw StoreError.unwritable(path: path, reason: "cannot create the directory (\(error.localizedDescription))")
        }
    }

    private static func writeFile(_ data: Data, to path: String) throws {
        do {
            try data.write(to: URL(fileURLWithPath: path))
        } catch {
            throw StoreError.unwritable(path: path, reason: error.localizedDescription)
        }
    }
}
