import Foundation
import TestSupport

/// Runs Python snippets as an independent reader of what the store writes
/// (numpy for `.npy` files, the stdlib `sqlite3` for raw SQLite files).
enum Python {
    /// Whether `python3` runs at all.
    static let isAvailable: Bool = (try? run("print('ok')")) == "ok"
    /// Whether `python3` can import numpy.
    static let hasNumpy: Bool = (try? run("import numpy; print('ok')")) == "ok"

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Runs `code` with `arguments` as `sys.argv[1...]`; returns its trimmed
    /// standard output, or throws with its standard error if it fails.
    @discardableResult
    static func run(_ code: String, _ arguments: String...) throws -> String {
        let result = try runProcess("python3", ["-c", code] + arguments, timeout: 60)
        guard result.status == 0 else { throw Failure(description: "python3 failed: \(result.stderr)") }
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
