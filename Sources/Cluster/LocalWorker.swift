import Foundation

/// Rank 0's own trainer: a thread beside the coordinator that runs tasks from an
/// in-process queue, so rank 0's core trains too. It never calls MPI.
final class LocalWorker: @unchecked Sendable {
    // Everything below is guarded by `condition`.
    private let condition = NSCondition()
    private var queue: [Int] = []
    private var results: [CompletedTask] = []
    private var stopping = false
    private var finished = false

    private let execute: @Sendable (Int) -> TaskResult
    private var thread: Thread?

    init(execute: @escaping @Sendable (Int) -> TaskResult) {
        self.execute = execute
    }

    func start(prepare: @escaping @Sendable () -> Void) {
        let t = Thread { [self] in
            prepare()
            self.loop()
        }
        t.name = "overparam-trainer"
        t.stackSize = 16 << 20
        thread = t
        t.start()
    }

    func enqueue(_ index: Int) {
        condition.lock()
        queue.append(index)
        condition.signal()
        condition.unlock()
    }

    /// Results finished since the last call.
    func takeResults() -> [CompletedTask] {
        condition.lock()
        defer { condition.unlock() }
        let out = results
        results.removeAll()
        return out
    }

    /// Blocks until a result is ready or `microseconds` have passed: the coordinator
    /// idles here, woken at once by rank 0's own results.
    func waitForResults(microseconds: UInt32) {
        condition.lock()
        if results.isEmpty {
            _ = condition.wait(until: Date().addingTimeInterval(Double(microseconds) / 1e6))
        }
        condition.unlock()
    }

    /// Drops queued tasks, lets the running one finish, and waits for the thread.
    func stop() {
        condition.lock()
        stopping = true
        queue.removeAll()
        condition.broadcast()
        while !finished { condition.wait() }
        condition.unlock()
    }

    private func loop() {
        while true {
            condition.lock()
            while queue.isEmpty && !stopping { condition.wait() }
            if stopping {
                finished = true
                condition.broadcast()
                condition.unlock()
                return
            }
            let index = queue.removeFirst()
            condition.unlock()

            let result = execute(index)

            condition.lock()
            results.append(CompletedTask(taskIndex: index, rank: 0, result: result))
            condition.broadcast()
            condition.unlock()
        }
    }
}
