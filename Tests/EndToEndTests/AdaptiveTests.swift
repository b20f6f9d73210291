import Foundation
import Store
import Testing
import TestSupport

/// The adaptive mode bisects widths around the jamming point while the sweep runs,
/// spreading the new tasks over all ranks, and adds the same tasks on any number of ranks.
@Suite(.serialized) struct AdaptiveTests {
    @Test func jammingBisectionNarrowsTheBracketAndIsRankIndependent() throws {
        let dir = try TemporaryDirectory("adaptive")
        defer { dir.remove() }
        let quick = try String(contentsOfFile: OverparamBinary.packageRoot + "/sweeps/jamming-quick.yaml", encoding: .utf8)
        let spec = try dir.write("adaptive.yaml", quick + "\nadaptive: jamming\nadaptive_steps: 3\n")
        var byID: [Int: [String: ResultRecord]] = [:]
        for ranks in [2, 0] {
            let path = dir.file("r\(ranks).sqlite")
            let r = try OverparamBinary.run(ranks: ranks, ["sweep", spec, "--store", path, "--quiet"])
            #expect(r.status == 0, "\(r.output)")
            #expect(r.stderr.contains("adaptive (jamming): adding width"))
            let store = try SweepStore.open(path: path)
            let tasks = try store.tasks()
            #expect(tasks.count == 16 + 3 * 4, "3 widths of 4 seeds added")
            var results: [String: ResultRecord] = [:]
            for var result in try store.results() {
                result.rank = 0; result.host = ""; result.wallSeconds = 0
                results[tasks[result.taskIndex].id] = result
            }
            #expect(results.count == tasks.count)
            byID[ranks] = results
        }
        #expect(byID[2] == byID[0], "the adaptive sweep differs between 1 and 2 ranks")
        // The added widths lie strictly between the planned 2 and 8, where N* is.
        let widths = Set(try #require(byID[2]).keys.compactMap { id in
            id.split(separator: ",").first { $0.hasPrefix("width=") }.flatMap { Int($0.dropFirst(6)) }
        })
        let added = widths.subtracting([2, 8, 32, 64])
        #expect(added.count == 3 && added.allSatisfy { $0 > 2 && $0 < 8 }, "added widths \(added.sorted())")
    }
}
