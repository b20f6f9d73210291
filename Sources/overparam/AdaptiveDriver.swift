import Cluster
import Foundation
import Store
import Sweep

/// Rank 0's side of the adaptive mode: watches results per group of widths and,
/// when every task of a group has one, asks `WidthRefinement` for new widths and
/// turns them into tasks (every seed), numbered after all existing ones.
final class AdaptiveDriver {
    let rule: String
    let steps: Int
    let plan: Plan
    private var tasks: [Int: PlannedTask] = [:]
    private var groups: [String: [Int]] = [:]
    private var outcomes: [Int: (fitted: Bool, testLoss: Double)] = [:]
    private var added: [String: Int] = [:]
    private(set) var nextIndex: Int

    /// - Parameter tasks: every task so far, planned and added (on resume, from the store).
    init(rule: String, steps: Int, plan: Plan, tasks all: [PlannedTask]) {
        self.rule = rule
        self.steps = steps
        self.plan = plan
        nextIndex = (all.map(\.index).max() ?? -1) + 1
        for t in all {
            tasks[t.index] = t
            groups[Plan.widthGroup(t), default: []].append(t.index)
            if t.index >= plan.tasks.count { added[Plan.widthGroup(t), default: 0] += 1 }
        }
        // Steps count widths, not tasks.
        for (group, n) in added { added[group] = n / max(1, plan.spec.seeds.count) }
    }

    /// Notes a task's result (nil metrics: it failed) and returns the tasks to add.
    func record(taskIndex: Int, metrics: [String: Double]?) -> [PlannedTask] {
        guard let task = tasks[taskIndex] else { return [] }
        let m = metrics ?? [:]
        let fitted = metrics != nil && (m["train_error"] ?? (m["train_mse"].map { $0 < 1e-12 ? 0 : 1 } ?? 1)) == 0
            && (m["train_unsatisfied"] ?? 0) == 0
        outcomes[taskIndex] = (fitted, m["test_mse"] ?? m["test_loss"] ?? .nan)
        return refine(Plan.widthGroup(task))
    }

    /// New tasks for every group that is complete but not refined yet (after a resume).
    func refineAll() -> [PlannedTask] {
        groups.keys.sorted().flatMap { refine($0) }
    }

    private func refine(_ group: String) -> [PlannedTask] {
        let members = groups[group]!
        guard members.allSatisfy({ outcomes[$0] != nil }), added[group, default: 0] < steps else { return [] }
        var byWidth: [Int: [Int]] = [:]
        for i in members { byWidth[tasks[i]!.int("width"), default: []].append(i) }
        let cells = byWidth.map { width, indices in
            WidthRefinement.Cell(width: width, fitted: indices.filter { outcomes[$0]!.fitted }.count, seeds: indices.count,
                                 testLoss: indices.map { outcomes[$0]!.testLoss }.reduce(0, +) / Double(indices.count))
        }.filter { !$0.testLoss.isNaN || rule == "jamming" }
        let widths = WidthRefinement.next(rule: rule, cells: cells)
            .filter { byWidth[$0] == nil }
            .prefix(steps - added[group, default: 0])
        guard !widths.isEmpty else { return [] }
        // One base task per seed: the group's task of that seed at its first width.
        let bases = members.map { tasks[$0]! }.sorted { $0.index < $1.index }
        var seen = Set<Int>()
        let basePerSeed = bases.filter { seen.insert($0.seed).inserted }
        var new: [PlannedTask] = []
        for width in widths {
            for base in basePerSeed {
                let t = plan.derived(from: base, width: width, index: nextIndex)
                nextIndex += 1
                new.append(t)
                tasks[t.index] = t
                groups[group]!.append(t.index)
            }
            added[group, default: 0] += 1
        }
        return new
    }

    /// What a remote rank needs to derive task `index`: its base task and width.
    func description(of index: Int) -> [UInt8] {
        guard index >= plan.tasks.count, let t = tasks[index] else { return [] }
        let base = plan.tasks.first { Plan.widthGroup($0) == Plan.widthGroup(t) && $0.seed == t.seed }!
        var w = WireWriter()
        w.write(base.index)
        w.write(t.int("width"))
        return w.bytes
    }
}
