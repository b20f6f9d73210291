import Foundation
import Numerical

/// One unit of work: a full assignment of every key, and a seed.
public struct PlannedTask: Sendable, Equatable {
    /// Position in the plan; the store's primary key.
    public let index: Int
    /// The swept coordinates and the seed, e.g. "width=100,seed=3". Stable across runs.
    public let id: String
    /// The id without the seed: the ensemble this task belongs to.
    public let cell: String
    public let seed: Int
    /// Every key's value for this task.
    public let config: [String: SpecValue]
    /// Relative cost estimate, for largest-first dispatch.
    public let cost: Double

    public func int(_ key: String) -> Int { config[key]!.intValue! }
    public func string(_ key: String) -> String { config[key]!.description }

    /// Keys that choose the data (so tasks sharing them share one training and test set).
    public static let dataKeys = ["dataset", "train_size", "test_size", "data_seed", "preprocess", "target",
                                  "label_noise", "label_noise_mode", "input_corruption"]

    /// Names the train/test split this task uses; tasks with equal data keys see
    /// identical data whatever their width or seed.
    public var dataKey: String {
        var key = Self.dataKeys.map { "\($0)=\(config[$0]!)" }.joined(separator: ",")
        // Keys added after the first release join only when set, so existing data keys
        // (and the data streams keyed by them) stay as they were.
        if let v = config["validation_size"]?.intValue, v > 0 { key += ",validation_size=\(v)" }
        return key
    }

    /// All values that change what the task computes, sorted by key: the identity
    /// its random streams are derived from (never the rank or the file order).
    public var canonicalConfig: String {
        config.filter { entry in
            guard let key = SpecSchema.key(entry.key) else { return true }
            return key.affectsResults && !key.executionOnly && (key.inIdentityAtDefault || entry.value != key.defaultValue)
        }
            .sorted { $0.key < $1.key }
            .map { "\($0.key)=\($0.value)" }
            .joined(separator: ",") + ",seed=\(seed)"
    }

    /// The stream identity without the seed: shared by every seed of the cell (the
    /// minibatch order of `data_order: shared`).
    public var cellIdentity: String {
        let full = canonicalConfig
        return String(full[..<full.range(of: ",seed=\(seed)", options: .backwards)!.lowerBound])
    }

    /// The config as a JSON object with sorted keys (seed included), for the store.
    public var configJSON: String {
        var all = config
        all["seed"] = .int(seed)
        return "{" + all.sorted { $0.key < $1.key }
            .map { jsonQuoted($0.key) + ":" + $0.value.json }
            .joined(separator: ",") + "}"
    }
}

/// The cartesian product of a spec's axes times its seeds, in a fixed order.
public struct Plan: Sendable {
    public let spec: Spec
    public let tasks: [PlannedTask]

    public init(spec: Spec) {
        self.spec = spec
        let axes = spec.axes
        var combos: [[String: SpecValue]] = [[:]]
        for (key, values) in spec.values where values.count == 1 {
            combos[0][key] = values[0]
        }
        for axis in axes {   // first axis outermost
            combos = combos.flatMap { base in
                axis.values.map { v in var c = base; c[axis.key] = v; return c }
            }
        }
        var tasks: [PlannedTask] = []
        tasks.reserveCapacity(combos.count * spec.seeds.count)
        for config in combos {
            for seed in spec.seeds {
                tasks.append(Plan.task(index: tasks.count, config: config, seed: seed, axes: axes.map(\.key)))
            }
        }
        self.tasks = tasks
        // Ensembles: runs of `ensemble_size` consecutive seeds of one configuration.
        let size = spec.single("ensemble_size")?.intValue ?? 1
        var ensembles: [[Int]] = []
        for c in 0..<combos.count {
            let first = c * spec.seeds.count
            for start in stride(from: 0, to: spec.seeds.count, by: max(1, size)) {
                ensembles.append(Array((first + start)..<(first + min(spec.seeds.count, start + size))))
            }
        }
        self.ensembles = ensembles
        ensembleIndex = Dictionary(uniqueKeysWithValues: ensembles.enumerated().map { ($1[0], $0) })
    }

    /// The groups of tasks trained together as one ensemble (singletons unless the
    /// spec sets `ensemble_size`), in plan order. Fixed by the spec alone, so which
    /// nets train together never depends on the number of ranks.
    public let ensembles: [[Int]]

    /// The ensembles with a pending member, most expensive first (ties in plan order),
    /// each as its first task's index: the units rank 0 dispatches.
    public func ensembleOrder(pending: Set<Int>) -> [[Int]] {
        let units: [(members: [Int], cost: Double)] = ensembles.filter { $0.contains(where: pending.contains) }
            .map { members in (members, members.reduce(0.0) { $0 + tasks[$1].cost }) }
        return units.sorted { $0.cost != $1.cost ? $0.cost > $1.cost : $0.members[0] < $1.members[0] }.map(\.members)
    }

    /// The ensemble whose first task is `leader` (a task the adaptive mode added runs alone).
    public func ensemble(leading leader: Int) -> [Int] {
        guard leader < tasks.count else { return [leader] }
        return ensembleIndex[leader].map { ensembles[$0] } ?? [leader]
    }

    private let ensembleIndex: [Int: Int]

    /// A task with its id and cell named by the swept axes (in file order).
    static func task(index: Int, config: [String: SpecValue], seed: Int, axes: [String]) -> PlannedTask {
        let cell = axes.isEmpty ? "all" : axes.map { "\($0)=\(config[$0]!)" }.joined(separator: ",")
        let id = (axes.isEmpty ? "" : cell + ",") + "seed=\(seed)"
        return PlannedTask(index: index, id: id, cell: cell, seed: seed, config: config, cost: estimateCost(config))
    }

    /// The task of `base`'s configuration and seed at another width, numbered `index`
    /// (after the planned tasks): how the adaptive mode adds widths. Every rank
    /// derives the same task from (base, width), so only those cross the wire.
    public func derived(from base: PlannedTask, width: Int, index: Int) -> PlannedTask {
        var config = base.config
        config["width"] = .int(width)
        return Plan.task(index: index, config: config, seed: base.seed, axes: spec.axes.map(\.key))
    }

    /// The group a task belongs to for the adaptive mode: its config without width and seed.
    public static func widthGroup(_ task: PlannedTask) -> String {
        task.config.filter { $0.key != "width" }.sorted { $0.key < $1.key }
            .map { "\($0.key)=\($0.value)" }.joined(separator: ",")
    }

    /// Task indices, most expensive first (ties in plan order), so the long tasks
    /// start early and the sweep does not end waiting on one straggler.
    public var dispatchOrder: [Int] {
        tasks.sorted { $0.cost != $1.cost ? $0.cost > $1.cost : $0.index < $1.index }.map(\.index)
    }

    /// Flops-like estimate. Random features: features (P N D) plus the SVD
    /// (min(P,N)^2 max(P,N)); MLP: epochs x P x parameters.
    static func estimateCost(_ c: [String: SpecValue]) -> Double {
        let p = Double(c["train_size"]?.intValue ?? 1)
        let m = Double(c["test_size"]?.intValue ?? 1)
        let n = Double(c["width"]?.intValue ?? 1)
        let d: Double = (c["dataset"]?.stringValue ?? "").hasPrefix("synthetic") ? 2 : 785
        if c["model"]?.stringValue == "kernel" {
            return p * p * p / 3 + (p + m) * p * d
        }
        if c["model"]?.stringValue == "mlp" {
            let depth = Double(c["depth"]?.intValue ?? 1)
            var parameters = d * n + (depth - 1) * n * n + 10 * n
            if let layers = c["layers"]?.stringValue, !layers.isEmpty {
                let widths = [d] + layers.split(separator: "-").compactMap { Double($0) } + [10]
                parameters = zip(widths, widths.dropFirst()).map { $0 * $1 }.reduce(0, +)
            }
            let trainings = 1 + 3 * Double(c["prune_rounds"]?.intValue ?? 0)   // ticket and two controls per round
            return trainings * Double(c["epochs"]?.intValue ?? 1) * p * parameters
        }
        return (p + m) * n * d + min(p, n) * min(p, n) * max(p, n)
    }
}
