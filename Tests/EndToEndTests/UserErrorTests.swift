import Foundation
import Testing
import TestSupport

/// Mistakes a user can make end with one clear line and a non-zero exit, and a
/// store that already exists is left exactly as it was.
@Suite(.serialized) struct UserErrorTests {
    static let goodSpec = """
        name: errors
        model: random_features
        dataset: fashion-mnist
        train_size: 20
        test_size: 20
        width: [5, 10]
        seeds: 2
        """

    /// Runs `sweep` with `specText` (under mpirun -n 2) against a store made by a
    /// good run, and checks the message, the exit and that the store's bytes are unchanged.
    func expectRefused(spec specText: String, extra: [String] = [], environment: [String: String] = [:],
                       message: String, resume: Bool = true) throws {
        let dir = try TemporaryDirectory("usererr")
        defer { dir.remove() }
        let good = try dir.write("good.yaml", Self.goodSpec)
        let store = dir.file("s.sqlite")
        let first = try OverparamBinary.run(ranks: 0, ["sweep", good, "--store", store, "--quiet"])
        try #require(first.status == 0, "\(first.output)")
        let before = try Data(contentsOf: URL(fileURLWithPath: store))

        let bad = try dir.write("bad.yaml", specText)
        let r = try OverparamBinary.run(ranks: 2, ["sweep", bad, "--store", store, "--quiet"]
                                        + (resume ? ["--resume"] : []) + extra, environment: environment)
        #expect(r.status != 0)
        let errorLines = r.stderr.split(separator: "\n").filter { $0.contains("overparam: error:") }
        #expect(errorLines.count == 1, "\(r.stderr)")
        #expect(r.stderr.contains(message), "expected '\(message)' in: \(r.stderr)")
        let after = try Data(contentsOf: URL(fileURLWithPath: store))
        #expect(before == after, "the store changed")
    }

    @Test func unknownKey() throws {
        try expectRefused(spec: Self.goodSpec + "\nlearning_rat: 0.1\n", message: "bad.yaml:8: unknown key 'learning_rat'")
    }

    @Test func wrongType() throws {
        try expectRefused(spec: Self.goodSpec.replacingOccurrences(of: "seeds: 2", with: "seeds: two"),
                          message: "key 'seeds': expected a count")
    }

    @Test func emptyList() throws {
        try expectRefused(spec: Self.goodSpec.replacingOccurrences(of: "width: [5, 10]", with: "width: []"),
                          message: "key 'width': empty list")
    }

    @Test func negativeWidth() throws {
        try expectRefused(spec: Self.goodSpec.replacingOccurrences(of: "width: [5, 10]", with: "width: [5, -10]"),
                          message: "key 'width': expected an integer >= 1, got '-10'")
    }

    @Test func differentSpecOnResume() throws {
        try expectRefused(spec: Self.goodSpec.replacingOccurrences(of: "seeds: 2", with: "seeds: 3"),
                          message: "was made from a different spec")
    }

    @Test func existingStoreWithoutResume() throws {
        try expectRefused(spec: Self.goodSpec, message: "already exists: pass --resume", resume: false)
    }

    @Test func missingDatasetDirectory() throws {
        try expectRefused(spec: Self.goodSpec, extra: ["--data", "/nonexistent/idx"],
                          message: "/nonexistent/idx")
    }

    @Test func corruptIDXFiles() throws {
        let data = try TemporaryDirectory("badidx")
        defer { data.remove() }
        let real = "/usr/share/datasets/fashion-mnist"
        for name in ["train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"] {
            try FileManager.default.copyItem(atPath: "\(real)/\(name)", toPath: data.file(name))
        }
        // Bad magic.
        try Data([0x12, 0x34, 0x08, 0x03, 0, 0, 0, 1]).write(to: URL(fileURLWithPath: data.file("train-images-idx3-ubyte")))
        try expectRefused(spec: Self.goodSpec, extra: ["--data", data.path], message: "train-images-idx3-ubyte")
        // Truncated data: a header announcing 60000 images of 28x28 and 100 bytes.
        var header = Data([0, 0, 0x08, 0x03])
        for v: UInt32 in [60000, 28, 28] { withUnsafeBytes(of: v.bigEndian) { header.append(contentsOf: $0) } }
        try (header + Data(count: 100)).write(to: URL(fileURLWithPath: data.file("train-images-idx3-ubyte")))
        try expectRefused(spec: Self.goodSpec, extra: ["--data", data.path], message: "truncated")
    }
}
