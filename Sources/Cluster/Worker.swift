/// A rank other than 0: runs the tasks the coordinator sends, in order, and sends
/// each result back. Between tasks it polls with a backoff, so it never spins a core.
public final class Worker {
    private let transport: Transport
    private let execute: (Int) -> TaskResult

    public init(transport: Transport, execute: @escaping (Int) -> TaskResult) {
        self.transport = transport
        self.execute = execute
    }

    /// Returns when the coordinator says stop (queued tasks are then dropped).
    /// Returns the number of tasks run.
    @discardableResult
    public func run() throws -> Int {
        var queue: [Int] = []
        var ran = 0
        var backoff = PollBackoff()
        while true {
            while let m = transport.poll() {
                switch m.tag {
                case .task:
                    var r = WireReader(m.payload)
                    queue.append(try r.readInt())
                case .stop:
                    transport.send([], to: 0, tag: .stop)
                    return ran
                default:
                    break
                }
            }
            if queue.isEmpty {
                backoff.wait()
                continue
            }
            backoff.reset()
            let index = queue.removeFirst()
            let result = execute(index)
            transport.send(result.encoded(taskIndex: index), to: 0, tag: .result)
            ran += 1
        }
    }
}
