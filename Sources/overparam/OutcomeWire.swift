import Cluster
import Numerical
import Learning
import Sweep

/// A task's outcome as the bytes a worker sends to rank 0.
enum OutcomeWire {
    static func encode(_ o: TaskOutcome) -> [UInt8] {
        var w = WireWriter()
        w.write(o.taskIndex)
        w.write(o.status.rawValue)
        w.write(o.metrics.count)
        for (name, value) in o.metrics.sorted(by: { $0.key < $1.key }) {
            w.write(name)
            w.write(value)
        }
        w.write(o.dataKey)
        w.write(o.wallSeconds)
        if let out = o.outputs {
            w.write(1)
            w.write(out.dtype)
            w.write(out.rows)
            w.write(out.cols)
            w.write(bytes: out.bytes)
        } else {
            w.write(0)
        }
        w.write(o.stopReason ?? "")
        w.write(o.curves.epochs.count)
        for e in o.curves.epochs { w.write(e) }
        w.write(o.curves.series.count)
        for (name, values) in o.curves.series.sorted(by: { $0.key < $1.key }) {
            w.write(name)
            w.write(values.count)
            for v in values { w.write(v) }
        }
        return w.bytes
    }

    /// Several outcomes (one ensemble's) as one message body.
    static func encode(_ outcomes: [TaskOutcome]) -> [UInt8] {
        var w = WireWriter()
        w.write(outcomes.count)
        for o in outcomes { w.write(bytes: encode(o)) }
        return w.bytes
    }

    static func decodeList(_ bytes: [UInt8]) throws -> [TaskOutcome] {
        var r = WireReader(bytes)
        return try (0..<r.readInt()).map { _ in try decode(try r.readBytes()) }
    }

    static func decode(_ bytes: [UInt8]) throws -> TaskOutcome {
        var r = WireReader(bytes)
        let index = try r.readInt()
        let statusText = try r.readString()
        guard let status = TaskOutcome.Status(rawValue: statusText) else {
            throw WireError(description: "unknown task status '\(statusText)'")
        }
        var metrics: [String: Double] = [:]
        for _ in 0..<(try r.readInt()) {
            let name = try r.readString()
            metrics[name] = try r.readDouble()
        }
        let dataKey = try r.readString()
        let wall = try r.readDouble()
        var outputs: EncodedMatrix?
        if try r.readInt() == 1 {
            let dtype = try r.readString()
            let rows = try r.readInt(), cols = try r.readInt()
            outputs = EncodedMatrix(dtype: dtype, rows: rows, cols: cols, bytes: try r.readBytes())
        }
        var outcome = TaskOutcome(taskIndex: index, status: status, metrics: metrics, outputs: outputs,
                                  dataKey: dataKey, wallSeconds: wall)
        let stop = try r.readString()
        outcome.stopReason = stop.isEmpty ? nil : stop
        outcome.curves.epochs = try (0..<r.readInt()).map { _ in try r.readInt() }
        for _ in 0..<(try r.readInt()) {
            let name = try r.readString()
            outcome.curves.series[name] = try (0..<r.readInt()).map { _ in try r.readDouble() }
        }
        return outcome
    }
}
