import Foundation

/// What a finished child process printed and returned.
public struct ProcessResult: Sendable {
    public let status: Int32
    public let stdout: String
    public let stderr: String
    public var output: String { stdout + stderr }
}

/// Runs a program to completion (killed after `timeout` seconds) and captures its output.
@discardableResult
public func runProcess(_ executable: String, _ arguments: [String], environment: [String: String] = [:],
                       directory: String? = nil, timeout: Double = 600) throws -> ProcessResult {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: executable.hasPrefix("/") ? executable : "/usr/bin/env")
    p.arguments = executable.hasPrefix("/") ? arguments : [executable] + arguments
    p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    if let directory { p.currentDirectoryURL = URL(fileURLWithPath: directory) }
    let outFile = FileManager.default.temporaryDirectory.appendingPathComponent("out-\(UUID().uuidString)")
    let errFile = FileManager.default.temporaryDirectory.appendingPathComponent("err-\(UUID().uuidString)")
    _ = FileManager.default.createFile(atPath: outFile.path, contents: nil)
    _ = FileManager.default.createFile(atPath: errFile.path, contents: nil)
    defer { try? FileManager.default.removeItem(at: outFile); try? FileManager.default.removeItem(at: errFile) }
    p.standardOutput = try FileHandle(forWritingTo: outFile)
    p.standardError = try FileHandle(forWritingTo: errFile)
    try p.run()
    let deadline = Date().addingTimeInterval(timeout)
    while p.isRunning && Date() < deadline { usleep(20_000) }
    if p.isRunning { kill(p.processIdentifier, SIGKILL); p.waitUntilExit() }
    p.waitUntilExit()
    return ProcessResult(status: p.terminationStatus,
                         stdout: (try? String(contentsOf: outFile, encoding: .utf8)) ?? "",
                         stderr: (try? String(contentsOf: errFile, encoding: .utf8)) ?? "")
}

/// A fresh directory under the system's temporary directory, removed by `remove()`.
public struct TemporaryDirectory: Sendable {
    public let path: String
    public init(_ label: String = "overparam") throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("\(label)-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    public func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }
    public func write(_ name: String, _ text: String) throws -> String {
        let p = file(name)
        try text.write(toFile: p, atomically: true, encoding: .utf8)
        return p
    }
    public func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// The `overparam` binary built beside the test bundle, and the package root.
public enum OverparamBinary {
    /// `OVERPARAM_BIN` when set (scripts/test.sh points it at the release build, so
    /// the scientific checks train at full speed), else the build beside the tests.
    public static var path: String {
        if let bin = ProcessInfo.processInfo.environment["OVERPARAM_BIN"], !bin.isEmpty {
            return bin.hasPrefix("/") ? bin : packageRoot + "/" + bin
        }
        let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var dir = exe.deletingLastPathComponent()
        // The test bundle may sit inside a .xctest directory.
        while dir.pathExtension == "xctest" || dir.lastPathComponent == "Contents" || dir.lastPathComponent == "MacOS" {
            dir = dir.deletingLastPathComponent()
        }
        return dir.appendingPathComponent("overparam").path
    }

    /// The repository root (where Package.swift is), from this file's location.
    public static var packageRoot: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
    }

    /// Runs `overparam ARGS` under `mpirun -n ranks` (ranks 0: without mpirun).
    public static func run(ranks: Int, _ arguments: [String], environment: [String: String] = [:],
                           timeout: Double = 600) throws -> ProcessResult {
        if ranks == 0 {
            return try runProcess(path, arguments, environment: environment, timeout: timeout)
        }
        return try runProcess("mpirun", mpirunArguments(ranks: ranks) + [path] + arguments,
                              environment: mpiEnvironment.merging(environment) { $1 }, timeout: timeout)
    }

    public static func mpirunArguments(ranks: Int) -> [String] {
        ["-n", String(ranks)] + (ranks > ProcessInfo.processInfo.activeProcessorCount ? ["--oversubscribe"] : [])
    }

    /// Open MPI refuses root unless told.
    public static let mpiEnvironment = ["OMPI_ALLOW_RUN_AS_ROOT": "1", "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM": "1"]
}
