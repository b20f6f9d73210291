/// A rank other than 0: runs the tasks the coordinator sends, in order, and sends
/// each result back. Between tasks it polls with a backoff, so it never spins a core.
public final class Worker {
    private let transport: Transport
    private let execute: (Int, [UInt8]) -> TaskResult
    private let farewell: () -> [UInt8]

    /// `execute` gets a task's index and the bytes the coordinator's `describe` sent with it;
    /// `farewell` gives the bytes sent back with the acknowledgement of stop (e.g. this
    /// rank's peak memory), which rank 0 finds in its report.
    public init(transport: Transport, farewell: @escaping () -> [UInt8] = { [] },
                execute: @escaping (Int, [UInt8]) -> TaskResult) {
        self.transport = transport
        self.execute = execute
        self.farewell = farewell
    }

    /// Returns when the coordinator says stop (queued tasks are then dropped).
    /// Returns the number of tasks run.
    @discardableResult
    public func run() throws -> Int {
        var queue: [(Int, [UInt8])] = []
        var ran = 0
        var backoff = PollBackoff()
        while true {
            while let m = transport.poll() {
                switch m.tag {
                case .task:
                    var r = WireReader(m.payload)
                    let index = try r.readInt()
                    queue.append((index, r.isAtEnd ? [] : try r.readBytes()))
                case .stop:
                    transport.send(farewell(), to: 0, tag: .stop)
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
            let (index, description) = queue.removeFirst()
            let result = execute(index, description)
            transport.send(result.encoded(taskIndex: index), to: 0, tag: .result)
            ran += 1
        }
    }
}
