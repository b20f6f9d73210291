/// The result of running one task on some rank.
public enum TaskResult: Sendable {
    /// The task ran; the payload is its encoded outcome.
    case finished([UInt8])
    /// The task threw; the text says why (the sweep goes on, the task stays undone).
    case failed(String)
}

/// A task's result as the coordinator receives it.
public struct CompletedTask: Sendable {
    public let taskIndex: Int
    public let rank: Int
    public let result: TaskResult
}

extension TaskResult {
    /// [task index][kind][payload or message]: the body of a `.result` message.
    func encoded(taskIndex: Int) -> [UInt8] {
        var w = WireWriter()
        w.write(taskIndex)
        switch self {
        case .finished(let payload): w.write(0); w.write(bytes: payload)
        case .failed(let message): w.write(1); w.write(message)
        }
        return w.bytes
    }

    static func decode(_ bytes: [UInt8]) throws -> (Int, TaskResult) {
        var r = WireReader(bytes)
        let index = try r.readInt()
        switch try r.readInt() {
        case 0: return (index, .finished(try r.readBytes()))
        default: return (index, .failed(try r.readString()))
        }
    }
}
