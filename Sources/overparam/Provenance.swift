import Cluster
import Foundation
import Numerical

/// Where a sweep's numbers came from: code, libraries, machines.
enum Provenance {
    static func collect(hosts: [String]) -> [String: String] {
        let env = ProcessInfo.processInfo.environment
        var p: [String: String] = [
            "overparam_version": Overparam.version,
            "git_commit": gitCommit(),
            "mpi_library": MPITransport.libraryVersion,
            "openblas_config": BLASRuntime.config,
            "openblas_core": BLASRuntime.coreName,
            "openblas_threads": String(BLASRuntime.threads),
            "openblas_coretype_env": env["OPENBLAS_CORETYPE"] ?? "",
            "ranks": String(hosts.count),
            "hosts": hosts.joined(separator: ","),
            "started_at": ISO8601DateFormatter().string(from: Date()),
        ]
        #if compiler(>=6.3)
        p["swift_compiler"] = ">=6.3"
        #endif
        return p
    }

    /// The commit of the source tree this binary was built from, "+dirty" if it had
    /// changes; "unknown" when the binary runs away from its checkout.
    static func gitCommit() -> String {
        let sourceDir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().path
        guard let head = run("/usr/bin/env", ["git", "-C", sourceDir, "rev-parse", "HEAD"]), !head.isEmpty else {
            return "unknown"
        }
        let dirty = run("/usr/bin/env", ["git", "-C", sourceDir, "status", "--porcelain", "--untracked-files=no"]) ?? ""
        return head + (dirty.isEmpty ? "" : "+dirty")
    }

    private static func run(_ tool: String, _ args: [String]) -> String? {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: tool)
        p.arguments = args
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        do { try p.run() } catch { return nil }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { return nil }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// This machine's name, as MPI jobs list it.
func localHostName() -> String {
    var buffer = [CChar](repeating: 0, count: 256)
    gethostname(&buffer, buffer.count - 1)
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
