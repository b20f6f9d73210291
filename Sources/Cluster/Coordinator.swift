import Foundation

/// Rank 0's dispatcher: hands task indices to every rank (itself included, through
/// a trainer thread), keeps one task prefetched per rank so none waits for the
/// next, and passes each result to `onResult` on this thread, in arrival order.
///
/// Dispatch order is the caller's (largest first); which rank runs which task does
/// not matter for the results, since each task's randomness is keyed by the task.
public final class Coordinator {
    public struct Report: Sendable {
        public var completed: Int
        public var failed: Int
        /// CPU time of the coordinating thread alone: what waiting cost.
        public var coordinatorCPUSeconds: Double
        public var wallSeconds: Double
        /// What each other rank sent with its acknowledgement of stop (see `Worker`).
        public var farewells: [Int: [UInt8]] = [:]
    }

    private let transport: Transport?
    private let prefetch: Int
    private let execute: @Sendable (Int) -> TaskResult
    private let prepareTrainer: @Sendable () -> Void

    /// - Parameters:
    ///   - transport: MPI for a world of several ranks; nil to train on this process only.
    ///   - prefetch: tasks in flight per rank (the running one and those queued behind it).
    ///   - prepareTrainer: runs once on rank 0's trainer thread before its first task
    ///     (BLAS warm-up belongs there).
    ///   - execute: runs one task on rank 0's trainer thread.
    public init(transport: Transport?, prefetch: Int = 2,
                prepareTrainer: @escaping @Sendable () -> Void = {},
                execute: @escaping @Sendable (Int) -> TaskResult) {
        self.transport = transport
        self.prefetch = max(1, prefetch)
        self.execute = execute
        self.prepareTrainer = prepareTrainer
    }

    /// Runs `order` to completion. If `onResult` throws, the other ranks are told to
    /// stop, their in-flight results are drained and dropped, and the error is rethrown.
    public func run(order: [Int], onResult: (CompletedTask) throws -> Void) throws -> Report {
        try run(order: order, describe: { _ in [] }) { done in
            try onResult(done)
            return []
        }
    }

    /// Runs `order`, and every task `onResult` returns as it goes (appended to the
    /// queue: how the adaptive mode adds widths). `describe` gives the bytes sent
    /// with a task index to a remote rank (a task the worker cannot derive from the
    /// index alone).
    /// `whenIdle` runs whenever a look for results found none, before waiting for more
    /// (how the caller batches its writes).
    public func run(order initialOrder: [Int], describe: (Int) -> [UInt8], whenIdle: () throws -> Void = {},
                    onResult: (CompletedTask) throws -> [Int]) throws -> Report {
        var order = initialOrder
        let start = Date()
        let cpuStart = ThreadCPU.seconds()
        let local = LocalWorker(execute: execute)
        local.start(prepare: prepareTrainer)
        let remoteRanks = Array(1..<max(1, transport?.size ?? 1))

        var next = 0
        var inFlight = [Int](repeating: 0, count: max(1, transport?.size ?? 1))
        func dispatch(to rank: Int) {
            guard next < order.count else { return }
            let index = order[next]
            next += 1
            inFlight[rank] += 1
            if rank == 0 {
                local.enqueue(index)
            } else {
                var w = WireWriter()
                w.write(index)
                w.write(bytes: describe(index))
                transport!.send(w.bytes, to: rank, tag: .task)
            }
        }
        // Round-robin the first tasks so the largest ones spread over all ranks.
        for _ in 0..<prefetch {
            dispatch(to: 0)
            for r in remoteRanks { dispatch(to: r) }
        }

        var remaining = order.count
        var failed = 0
        var backoff = PollBackoff()
        // Poll no more often than the results come: the longest sleep is 1/50 of the
        // mean time between results (0.1 to 10 ms), so long tasks cost the coordinator
        // next to nothing and tiny tasks are still dispatched within a fraction of one.
        var lastResult = Date()
        var meanGap = 0.0
        var results = 0
        func handle(_ done: CompletedTask) throws {
            let now = Date()
            results += 1
            meanGap += (now.timeIntervalSince(lastResult) - meanGap) / Double(results)
            lastResult = now
            backoff.cap = UInt32(min(10_000, max(100, meanGap * 1e6 / 50)))
            remaining -= 1
            inFlight[done.rank] -= 1
            if case .failed = done.result { failed += 1 }
            let added = try onResult(done)
            order += added
            remaining += added.count
            dispatch(to: done.rank)
            // New tasks also go to ranks that ran dry while waiting for them.
            if !added.isEmpty {
                for rank in inFlight.indices {
                    while inFlight[rank] < prefetch && next < order.count { dispatch(to: rank) }
                }
            }
        }

        do {
            while remaining > 0 {
                var progressed = false
                if let transport, let message = transport.poll() {
                    progressed = true
                    if message.tag == .result {
                        let (index, result) = try TaskResult.decode(message.payload)
                        try handle(CompletedTask(taskIndex: index, rank: message.source, result: result))
                    }
                }
                for done in local.takeResults() {
                    progressed = true
                    try handle(done)
                }
                if progressed {
                    backoff.reset()
                } else {
                    try whenIdle()
                    // Alone, nothing needs polling: the trainer thread wakes us.
                    local.waitForResults(microseconds: transport == nil ? 1_000_000 : backoff.next())
                }
            }
        } catch {
            _ = shutDown(local: local, remoteRanks: remoteRanks)
            throw error
        }
        let farewells = shutDown(local: local, remoteRanks: remoteRanks)
        return Report(completed: order.count - failed, failed: failed,
                      coordinatorCPUSeconds: ThreadCPU.seconds() - cpuStart,
                      wallSeconds: Date().timeIntervalSince(start), farewells: farewells)
    }

    /// Tells every rank to stop and waits for each to acknowledge, discarding any
    /// result still arriving: a worker blocked sending a large result would
    /// otherwise never reach its stop message.
    private func shutDown(local: LocalWorker, remoteRanks: [Int]) -> [Int: [UInt8]] {
        local.stop()
        guard let transport else { return [:] }
        for r in remoteRanks { transport.send([], to: r, tag: .stop) }
        var acknowledged: [Int: [UInt8]] = [:]
        var backoff = PollBackoff()
        while acknowledged.count < remoteRanks.count {
            if let m = transport.poll() {
                if m.tag == .stop { acknowledged[m.source] = m.payload }
                backoff.reset()
            } else {
                backoff.wait()
            }
        }
        return acknowledged
    }
}
