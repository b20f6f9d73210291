import Analysis
import ArgumentParser
import Cluster
import Datasets
import Foundation
import Numerical
import Store
import Learning
import Sweep

struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Run every task of a spec (under mpirun: rank 0 coordinates and trains, the others train).",
        discussion: """
            Results go to one SQLite store, written by rank 0 only: each result is committed
            (and synced) within about 50 ms of its arrival, several per transaction when they
            arrive faster than that.
            If the run is interrupted, run the same command with --resume: only the tasks
            without a result run again, and the outputs are identical to an uninterrupted run.
            """)

    @Argument(help: "The sweep spec (YAML). Only rank 0 reads it; the other ranks receive its text.")
    var spec: String

    @Option(help: "The SQLite store to write (default: results/<name>.sqlite).")
    var store: String?

    @Flag(help: "Continue an existing store: run only the tasks without a result.")
    var resume = false

    @Option(help: "IDX directory for image datasets (overrides OVERPARAM_DATA and the spec's data_dir).")
    var data: String?

    @Flag(help: "No progress line.")
    var quiet = false

    func run() throws {
        let mpi = MPITransport.launchedByMPI ? MPITransport() : nil
        BLASRuntime.pinSingleThread()
        let rank = mpi?.rank ?? 0
        let size = mpi?.size ?? 1
        let hosts = mpi?.allGather(localHostName()) ?? [localHostName()]

        // Rank 0 checks everything a user can get wrong before any rank starts work,
        // then broadcasts the spec text (empty: give up) so other hosts need no copy.
        var setup: RankZeroSetup?
        var failure: String?
        if rank == 0 {
            do { setup = try RankZeroSetup.prepare(options: self, hosts: hosts) }
            catch { failure = String(describing: error) }
        }
        let text = mpi?.broadcast(Array((setup?.plan.spec.text ?? "").utf8)) ?? []
        if let failure {
            FileHandle.standardError.write(Data("overparam: error: \(failure)\n".utf8))
            mpi?.finalize()
            throw ExitCode(1)
        }

        if rank == 0 {
            let setup = setup!
            var exitCode: Int32 = 0
            do {
                exitCode = try setup.coordinate(transport: mpi, ranks: size, hosts: hosts, quiet: quiet)
            } catch {
                FileHandle.standardError.write(Data("overparam: error: \(error)\n".utf8))
                exitCode = 1
            }
            mpi?.finalize()
            if exitCode != 0 { throw ExitCode(exitCode) }
        } else if let mpi {
            guard !text.isEmpty else { mpi.finalize(); return }   // rank 0 reported the problem
            let spec = try Spec.parse(text: String(decoding: text, as: UTF8.self), file: self.spec)
            let runner = TaskRunner(plan: Plan(spec: spec), dataDirectory: dataDirectory(spec: spec))
            BLASRuntime.warmUp()
            let plan = runner.plan
            try Worker(transport: mpi, farewell: { Array(String(format: "%.1f", peakRSSMegabytes()).utf8) },
                       execute: { index, description in
                // A task the adaptive mode added: derive it from its base task and width.
                if !description.isEmpty {
                    var r = WireReader(description)
                    guard let base = try? r.readInt(), let width = try? r.readInt(), base < plan.tasks.count else {
                        return .failed("task \(index): unreadable description from rank 0")
                    }
                    runner.register(plan.derived(from: plan.tasks[base], width: width, index: index))
                }
                return runUnit(index, runner: runner)
            }).run()
            mpi.finalize()
        }
    }

    func dataDirectory(spec: Spec) -> String {
        DatasetLocation.resolve(specValue: spec.single("data_dir")?.stringValue, flag: data,
                                environment: ProcessInfo.processInfo.environment)
    }
}

/// Runs one unit of dispatch (the ensemble led by task `leader`, often that task
/// alone) and packs its outcomes for the wire; errors become a failed result.
func runUnit(_ leader: Int, runner: TaskRunner) -> TaskResult {
    do {
        return .finished(OutcomeWire.encode(try runner.run(ensemble: runner.plan.ensemble(leading: leader))))
    } catch {
        return .failed(String(describing: error))
    }
}

/// What rank 0 holds once the spec, the data and the store have checked out.
struct RankZeroSetup {
    let plan: Plan
    let runner: TaskRunner
    let store: SweepStore
    let storePath: String
    /// Units to dispatch, largest first: each the first task of an ensemble (see
    /// `Plan.ensembles`; usually one task alone).
    let pending: [Int]
    /// Tasks the adaptive mode added in earlier runs of this store.
    let added: [PlannedTask]
    /// Tasks without a result.
    let pendingTasks: Int

    static func prepare(options: SweepCommand, hosts: [String]) throws -> RankZeroSetup {
        let spec = try Spec.load(path: options.spec)
        let plan = Plan(spec: spec)
        let runner = TaskRunner(plan: plan, dataDirectory: options.dataDirectory(spec: spec))
        // Load every split now: a missing or corrupt dataset fails here, before the store is touched.
        let dataKeys = Array(Set(plan.tasks.map(\.dataKey))).sorted()
        var targets: [(String, EncodedMatrix)] = []
        for key in dataKeys { targets.append((key, try runner.testTargets(dataKey: key))) }

        let path = options.store ?? "results/\(spec.name).sqlite"
        let store: SweepStore
        if options.resume && FileManager.default.fileExists(atPath: path) {
            store = try SweepStore.open(path: path)
            guard store.specFingerprint == spec.fingerprint else {
                throw CLIError("\(path) was made from a different spec (fingerprint \(store.specFingerprint), "
                    + "\(options.spec) gives \(spec.fingerprint)); resume it with its own spec "
                    + "(`sqlite3 \(path) \"select value from meta where key='spec_text'\"` prints it), "
                    + "or start a new store with --store")
            }
        } else {
            if !options.resume && FileManager.default.fileExists(atPath: path) {
                throw CLIError("\(path) already exists: pass --resume to continue it, or --store PATH to start another")
            }
            let dir = URL(fileURLWithPath: path).deletingLastPathComponent().path
            if !FileManager.default.fileExists(atPath: dir) {
                do { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
                catch { throw CLIError("cannot create the store's directory \(dir): \(error.localizedDescription)") }
            }
            let records = plan.tasks.map(Self.record)
            store = try SweepStore.create(path: path, specText: spec.text, specFingerprint: spec.fingerprint,
                                          tasks: records, provenance: Provenance.collect(hosts: hosts))
        }
        if spec.single("outputs")?.stringValue != "none" {
            for (key, array) in targets { try store.storeTargets(dataKey: key, array) }
        }
        for key in dataKeys {
            for (name, array) in try runner.dataArrays(dataKey: key) {
                try store.storeDataArray(dataKey: key, name: name, array)
            }
        }
        // Tasks the adaptive mode added in an earlier run: derive them again.
        var added: [PlannedTask] = []
        for record in try store.tasks() where record.index >= plan.tasks.count {
            guard let width = widthOf(record.config),
                  let task = plan.tasks.lazy.filter({ $0.seed == record.seed })
                    .map({ plan.derived(from: $0, width: width, index: record.index) })
                    .first(where: { $0.configJSON == record.config }) else {
                throw CLIError("\(path): task \(record.index) (\(record.id)) does not follow from the spec; "
                    + "resume it with the spec that made it")
            }
            runner.register(task)
            added.append(task)
        }
        let done = try store.completedTaskIndices()
        let pending = plan.ensembleOrder(pending: Set(plan.tasks.indices).subtracting(done)).map { $0[0] }
            + added.filter { !done.contains($0.index) }.sorted { $0.cost > $1.cost }.map(\.index)
        return RankZeroSetup(plan: plan, runner: runner, store: store, storePath: path, pending: pending, added: added,
                             pendingTasks: plan.tasks.count + added.count - done.count)
    }

    static func widthOf(_ configJSON: String) -> Int? {
        guard let data = configJSON.data(using: .utf8),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return nil }
        return (object["width"] as? NSNumber)?.intValue
    }

    static func record(_ t: PlannedTask) -> TaskRecord {
        TaskRecord(index: t.index, id: t.id, cell: t.cell, seed: t.seed, config: t.configJSON, cost: t.cost)
    }

    /// Runs the pending tasks across all ranks, storing each result as it arrives.
    /// Returns the exit code: 0, or 1 if some task failed (they stay pending for --resume).
    func coordinate(transport: MPITransport?, ranks: Int, hosts: [String], quiet: Bool) throws -> Int32 {
        var pending = self.pending
        let total = plan.tasks.count + added.count
        let alreadyDone = total - pendingTasks
        let log = { (s: String) in FileHandle.standardError.write(Data((s + "\n").utf8)) }
        let ensembleSize = plan.spec.single("ensemble_size")?.intValue ?? 1
        let grouping = ensembleSize > 1 ? ", in ensembles of up to \(ensembleSize) seeds" : ""
        log("overparam: \(plan.spec.name): \(total) tasks (\(pendingTasks) to run\(alreadyDone > 0 ? ", \(alreadyDone) already stored" : "")\(grouping)) "
            + "on \(ranks) rank\(ranks == 1 ? "" : "s") [\(Set(hosts).sorted().joined(separator: ", "))] -> \(storePath)")
        let progress = quiet ? nil : ProgressReporter(total: total, alreadyDone: alreadyDone)
        var firstFailure: String?
        var failures = 0
        let outputPolicy = plan.spec.single("outputs")?.stringValue ?? "all"
        // Live per-cell statistics, from full-precision outputs whatever is stored,
        // folded in seed order; a resumed sweep first replays what the store holds.
        let statistics = CellStatisticsBuilder(tasks: try store.tasks()) { [runner] in
            try runner.testTargets(dataKey: $0).doubles()
        }
        let rule = plan.spec.single("adaptive")?.stringValue ?? "none"
        let adaptive = rule == "none" ? nil : AdaptiveDriver(
            rule: rule, steps: plan.spec.single("adaptive_steps")?.intValue ?? 4, plan: plan, tasks: plan.tasks + added)
        let runner = self.runner
        let store = self.store
        // Group commit: results wait in `unstored` until no other result is at hand, at
        // most 50 ms, then go to the store in one transaction (one sync for all of them).
        var unstored: [ResultRecord] = []
        var oldestUnstored = Date()
        var stored = try store.completedTaskIndices()
        var ran = 0
        func flush() throws {
            guard !unstored.isEmpty else { return }
            try store.record(unstored)
            unstored.removeAll(keepingCapacity: true)
        }
        /// Registers tasks the adaptive mode adds, in the store first (so a resume sees them).
        func join(_ new: [PlannedTask]) throws -> [Int] {
            guard !new.isEmpty else { return [] }
            try flush()   // the results that led to them come first
            new.forEach(runner.register)
            let records = new.map(Self.record)
            try store.addTasks(records)
            statistics.addTasks(records)
            progress?.tasksAdded(new.count)
            let widths = Set(new.map { $0.int("width") }).sorted().map(String.init).joined(separator: ", ")
            (progress?.note ?? log)("overparam: adaptive (\(rule)): adding width \(widths) (\(new.count) tasks)")
            return new.sorted { $0.cost > $1.cost }.map(\.index)
        }
        if alreadyDone > 0 {
            try store.forEachResult(includeOutputs: true) { r in
                try statistics.add(r)
                pending += try join(adaptive?.record(taskIndex: r.taskIndex, metrics: r.metrics) ?? [])
            }
            pending += try join(adaptive?.refineAll() ?? [])
        }
        let coordinator = Coordinator(transport: transport, prefetch: 2,
                                      prepareTrainer: { BLASRuntime.warmUp() },
                                      execute: { runUnit($0, runner: runner) })
        let report = try coordinator.run(order: pending, describe: { adaptive?.description(of: $0) ?? [] },
                                         whenIdle: flush) { done in
            var added: [Int] = []
            switch done.result {
            case .failed(let message):
                for index in plan.ensemble(leading: done.taskIndex) where !stored.contains(index) {
                    failures += 1
                    ran += 1
                    if firstFailure == nil { firstFailure = message }
                    let id = runner.task(index).id
                    (progress?.note ?? log)("overparam: task \(index) (\(id)) failed on rank \(done.rank): \(message)")
                    progress?.taskFinished(failed: true)
                    try statistics.skip(taskIndex: index)
                    added += try join(adaptive?.record(taskIndex: index, metrics: nil) ?? [])
                }
            case .finished(let payload):
                // A unit rerun after an interruption may hold nets stored before: each is stored once.
                for outcome in try OutcomeWire.decodeList(payload) where !stored.contains(outcome.taskIndex) {
                    var record = ResultRecord(
                        taskIndex: outcome.taskIndex, status: outcome.status.rawValue,
                        message: outcome.stopReason.map { "stop: \($0)" },
                        metrics: outcome.metrics, wallSeconds: outcome.wallSeconds, rank: done.rank,
                        host: hosts[done.rank], outputs: outcome.outputs, dataKey: outcome.dataKey)
                    record.curves = outcome.curves.points
                    try statistics.add(record)
                    record.outputs = Self.stored(outcome.outputs, policy: outputPolicy)
                    if unstored.isEmpty { oldestUnstored = Date() }
                    unstored.append(record)
                    stored.insert(outcome.taskIndex)
                    ran += 1
                    progress?.taskFinished(diverged: outcome.status == .diverged)
                    added += try join(adaptive?.record(taskIndex: outcome.taskIndex, metrics: outcome.metrics) ?? [])
                }
            }
            if Date().timeIntervalSince(oldestUnstored) > 0.05 || unstored.count >= 1024 { try flush() }
            return added
        }
        try flush()
        let cpuShare = report.wallSeconds > 0 ? 100 * report.coordinatorCPUSeconds / report.wallSeconds : 0
        try store.setProvenance("last_run.ranks", String(ranks))
        try store.setProvenance("last_run.hosts", hosts.joined(separator: ","))
        try store.setProvenance("last_run.wall_seconds", String(format: "%.3f", report.wallSeconds))
        try store.setProvenance("last_run.coordinator_cpu_seconds", String(format: "%.4f", report.coordinatorCPUSeconds))
        try store.setProvenance("last_run.tasks", String(ran))
        let rss = peakRSSMegabytes()
        try store.setProvenance("last_run.rank0_peak_rss_mb", String(format: "%.1f", rss))
        // The other ranks report theirs with their acknowledgement of stop.
        let others = report.farewells.sorted { $0.key < $1.key }.map { "\($0.key): \(String(decoding: $0.value, as: UTF8.self))" }
        if !others.isEmpty { try store.setProvenance("last_run.worker_peak_rss_mb", others.joined(separator: ", ")) }
        log(String(format: "overparam: ran %d tasks in %.2f s on %d rank%@ (%.2f tasks/s); coordinator thread CPU %.3f s (%.2f%% of wall); rank 0 peak RSS %.1f MB",
                   ran, report.wallSeconds, ranks, ranks == 1 ? "" : "s",
                   report.wallSeconds > 0 ? Double(ran) / report.wallSeconds : 0,
                   report.coordinatorCPUSeconds, cpuShare, rss)
            + (others.isEmpty ? "" : "; other ranks' peak RSS (MB) " + others.joined(separator: ", ")))
        if let report = FluctuationReport.render(try statistics.finish()) {
            print("Fluctuations over initializations (live, full-precision outputs; N: parameters, or features)")
            print(report)
            try store.setProvenance("last_run.fluctuation_report", report)
        }
        if failures > 0 {
            log("overparam: \(failures) task(s) failed and are not stored (first: \(firstFailure ?? "?")); "
                + "fix the cause and rerun with --resume to run just those")
            return 1
        }
        log("overparam: store \(storePath) complete; summarize it with `overparam analyze \(storePath)`")
        return 0
    }
}

extension RankZeroSetup {
    /// What the spec's `outputs` key keeps of a task's outputs.
    static func stored(_ outputs: EncodedMatrix?, policy: String) -> EncodedMatrix? {
        guard let outputs else { return nil }
        switch policy {
        case "none": return nil
        case "float16": return EncodedMatrix(float16: outputs.doubles(), rows: outputs.rows, cols: outputs.cols)
        default: return outputs
        }
    }
}

/// A user-facing error: one line, printed as `overparam: error: ...`.
struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension TrainingCurves {
    /// As the store's rows: one point per (name, epoch).
    var points: [CurvePoint] {
        series.sorted { $0.key < $1.key }.flatMap { name, values in
            zip(epochs, values).map { CurvePoint(epoch: $0, name: name, value: $1) }
        }
    }
}
