import Cluster
import Foundation
import Testing

/// A transport whose "remote ranks" are simulated inside `poll()`: a task sent to
/// rank r is answered by running `work` on this thread, the way a worker would.
final class SimulatedRanks: Transport {
    let rank = 0
    let size: Int
    private var inbox: [Message] = []
    private let work: (Int, Int) -> TaskResultBox
    private(set) var tasksSeen: [Int: [Int]] = [:]
    private(set) var stopsReceived = Set<Int>()

    init(size: Int, work: @escaping (Int, Int) -> TaskResultBox) {
        self.size = size
        self.work = work
    }

    func send(_ payload: [UInt8], to rank: Int, tag: MessageTag) {
        switch tag {
        case .task:
            var r = WireReader(payload)
            let index = try! r.readInt()
            tasksSeen[rank, default: []].append(index)
            var w = WireWriter()
            w.write(index)
            switch work(index, rank).result {
            case .finished(let p): w.write(0); w.write(bytes: p)
            case .failed(let m): w.write(1); w.write(m)
            }
            inbox.append(Message(source: rank, tag: .result, payload: w.bytes))
        case .stop:
            stopsReceived.insert(rank)
            inbox.append(Message(source: rank, tag: .stop, payload: []))
        default:
            break
        }
    }

    func poll() -> Message? { inbox.isEmpty ? nil : inbox.removeFirst() }
}

struct TaskResultBox { let result: TaskResult }

@Suite struct CoordinatorTests {
    @Test func inProcessRunsEveryTaskOnce() throws {
        let coordinator = Coordinator(transport: nil) { index in .finished([UInt8(index)]) }
        var seen: [Int] = []
        let report = try coordinator.run(order: Array((0..<50).reversed())) { done in
            #expect(done.rank == 0)
            if case .finished(let p) = done.result { #expect(p == [UInt8(done.taskIndex)]) }
            seen.append(done.taskIndex)
        }
        #expect(seen.sorted() == Array(0..<50))
        #expect(report.completed == 50 && report.failed == 0)
    }

    @Test func remoteRanksAndLocalTrainerShareTheWork() throws {
        let ranks = SimulatedRanks(size: 3) { index, _ in TaskResultBox(result: .finished([UInt8(index % 256)])) }
        // The local trainer is slow, so remote ranks must pick up most tasks.
        let coordinator = Coordinator(transport: ranks, prefetch: 2) { index in
            usleep(2_000)
            return .finished([UInt8(index % 256)])
        }
        var byRank: [Int: Int] = [:]
        var seen = Set<Int>()
        _ = try coordinator.run(order: Array(0..<100)) { done in
            #expect(seen.insert(done.taskIndex).inserted, "task \(done.taskIndex) delivered twice")
            byRank[done.rank, default: 0] += 1
        }
        #expect(seen.count == 100)
        #expect(byRank[1, default: 0] > 0 && byRank[2, default: 0] > 0 && byRank[0, default: 0] > 0)
        #expect(ranks.stopsReceived == [1, 2])
    }

    @Test func failuresAreReportedAndCounted() throws {
        let coordinator = Coordinator(transport: nil) { index in
            index == 3 ? .failed("boom") : .finished([])
        }
        var failures: [Int] = []
        let report = try coordinator.run(order: Array(0..<6)) { done in
            if case .failed(let m) = done.result { #expect(m == "boom"); failures.append(done.taskIndex) }
        }
        #expect(failures == [3] && report.failed == 1 && report.completed == 5)
    }

    struct StoreFull: Error {}

    @Test func anErrorInOnResultStopsEveryRankAndIsRethrown() {
        let ranks = SimulatedRanks(size: 2) { _, _ in TaskResultBox(result: .finished([])) }
        let coordinator = Coordinator(transport: ranks) { _ in .finished([]) }
        var calls = 0
        #expect(throws: StoreFull.self) {
            _ = try coordinator.run(order: Array(0..<20)) { _ in
                calls += 1
                if calls == 3 { throw StoreFull() }
            }
        }
        #expect(ranks.stopsReceived == [1])
    }

    @Test func waitingCostsAlmostNoCPU() throws {
        // One slow task: the coordinator waits ~0.5 s and must not spin a core.
        let coordinator = Coordinator(transport: nil) { _ in usleep(500_000); return .finished([]) }
        let report = try coordinator.run(order: [0]) { _ in }
        #expect(report.wallSeconds >= 0.5)
        #expect(report.coordinatorCPUSeconds < 0.05, "coordinator used \(report.coordinatorCPUSeconds) s CPU")
    }
}

@Suite struct WireTests {
    @Test func roundTrip() throws {
        var w = WireWriter()
        w.write(-42)
        w.write(Double.nan)
        w.write(-Double.infinity)
        w.write(0.1)
        w.write("width=100,seed=3 ✓")
        w.write(bytes: [1, 2, 3])
        var r = WireReader(w.bytes)
        #expect(try r.readInt() == -42)
        #expect(try r.readDouble().isNaN)
        #expect(try r.readDouble() == -.infinity)
        #expect(try r.readDouble() == 0.1)
        #expect(try r.readString() == "width=100,seed=3 ✓")
        #expect(try r.readBytes() == [1, 2, 3])
        #expect(r.isAtEnd)
        #expect(throws: WireError.self) { try r.readInt() }
    }

    @Test func truncatedLengthIsAnError() {
        var w = WireWriter()
        w.write(1000)
        var r = WireReader(w.bytes + [1, 2])
        #expect(throws: WireError.self) { try r.readBytes() }
    }
}
