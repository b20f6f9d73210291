/// A message between ranks.
public struct Message: Sendable {
    public let source: Int
    public let tag: MessageTag
    public let payload: [UInt8]

    public init(source: Int, tag: MessageTag, payload: [UInt8]) {
        self.source = source
        self.tag = tag
        self.payload = payload
    }
}

/// What a message means. Values are the MPI tags.
public enum MessageTag: Int32, Sendable {
    /// Coordinator → worker: run this task (payload: task index).
    case task = 1
    /// Worker → coordinator: a finished task (payload: encoded outcome).
    case result = 2
    /// Worker → coordinator: a task that threw (payload: index and message).
    case failure = 3
    /// Coordinator → worker: no more work; exit after the current task.
    case stop = 4
}

/// Point-to-point messaging between ranks. Implemented by MPI; a world of one
/// needs no transport at all (rank 0 runs its own worker thread).
public protocol Transport: AnyObject {
    var rank: Int { get }
    var size: Int { get }
    func send(_ payload: [UInt8], to rank: Int, tag: MessageTag)
    /// A pending message, if any, without blocking.
    func poll() -> Message?
}

/// Sleeps between polls, growing from a few microseconds to `cap`, so a waiting
/// rank costs almost no CPU (Open MPI's blocking calls busy-poll a core) yet
/// answers within `cap`.
public struct PollBackoff {
    private var micros: UInt32 = 0
    /// The longest sleep, in microseconds.
    public var cap: UInt32

    public init(cap: UInt32 = 1000) { self.cap = cap }
    public mutating func reset() { micros = 0 }

    /// The next interval to wait, in microseconds.
    public mutating func next() -> UInt32 {
        micros = micros == 0 ? 5 : min(cap, micros * 2)
        return micros
    }

    public mutating func wait() { usleepPortable(next()) }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@inline(__always) func usleepPortable(_ micros: UInt32) { _ = usleep(micros) }
