import Foundation
import Yams

/// A parsed, validated sweep spec.
///
/// Every key holds one or more values; a key with more than one value is a swept
/// axis, and the plan is the cartesian product of the axes (in file order, first
/// key outermost) times the seeds. Validation happens entirely here, before
/// anything runs, so a bad spec never reaches a store.
public struct Spec: Sendable {
    /// The file the spec came from (for messages), and its text as read.
    public let file: String
    public let text: String
    public let name: String
    public let sweepSeed: UInt64
    public let seeds: [Int]
    /// Every schema key with its values (defaults filled in), in file order then schema order.
    public let values: [(key: String, values: [SpecValue])]
    /// Keys the file sets itself (the rest are defaults).
    public let givenKeys: Set<String>

    /// Keys with more than one value, in file order.
    public var axes: [(key: String, values: [SpecValue])] { values.filter { $0.values.count > 1 } }

    public func values(of key: String) -> [SpecValue] { values.first { $0.key == key }?.values ?? [] }
    public func single(_ key: String) -> SpecValue? {
        let v = values(of: key)
        return v.count == 1 ? v[0] : nil
    }

    /// A stable digest of what the spec computes: the resolved values, seeds and sweep
    /// seed, independent of comments, key order and formatting. Resuming compares it.
    public var fingerprint: String {
        var parts = values.filter { SpecSchema.key($0.key)?.affectsResults ?? true }
            .map { "\($0.key)=[" + $0.values.map(\.description).joined(separator: ",") + "]" }
            .sorted()
        parts.append("seeds=[" + seeds.map(String.init).joined(separator: ",") + "]")
        parts.append("sweep_seed=\(sweepSeed)")
        return String(format: "%016llx", StreamKeyDigest.digest(parts.joined(separator: ";")))
    }

    /// Reads and validates a spec file.
    public static func load(path: String) throws -> Spec {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SpecError(file: path, "cannot read the spec file (does it exist?)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw SpecError(file: path, "the spec is not UTF-8 text")
        }
        return try parse(text: text, file: path)
    }

    /// Validates spec text; `file` is only used in messages and for the default name.
    public static func parse(text: String, file: String) throws -> Spec {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw SpecError(file: file, "not valid YAML: " + String(describing: error)
                .split(separator: "\n").first.map(String.init)!)
        }
        guard let mapping = root?.mapping else {
            throw SpecError(file: file, "the spec must be a YAML mapping of keys to values (see sweeps/random-features.yaml)")
        }

        var given: [(key: String, node: Node, line: Int?)] = []
        for (keyNode, valueNode) in mapping {
            let line = keyNode.mark?.line
            guard let key = keyNode.string else { throw SpecError(file: file, line: line, "keys must be strings") }
            guard SpecSchema.key(key) != nil else {
                let known = SpecSchema.keys.map(\.name)
                let near = known.min { editDistance($0, key) < editDistance($1, key) }!
                let hint = editDistance(near, key) <= 2 ? " (did you mean '\(near)'?)" : ""
                throw SpecError(file: file, line: line,
                                "unknown key '\(key)'\(hint); known keys: " + known.joined(separator: ", "))
            }
            if given.contains(where: { $0.key == key }) {
                throw SpecError(file: file, line: line, "key '\(key)' is given twice")
            }
            given.append((key, valueNode, line))
        }

        // The model decides which keys apply.
        let model: String
        if let entry = given.first(where: { $0.key == "model" }) {
            model = try parseScalar(entry.node, schema: SpecSchema.key("model")!, file: file, line: entry.line).description
        } else {
            throw SpecError(file: file, "missing required key 'model' (one of \(SpecSchema.models.joined(separator: ", ")))")
        }

        var seeds = [0]
        var resolved: [(key: String, values: [SpecValue])] = []
        for entry in given {
            let schema = SpecSchema.key(entry.key)!
            guard schema.applies(to: model) else {
                throw SpecError(file: file, line: entry.line,
                                "key '\(entry.key)' does not apply to model \(model) (it is for: "
                                    + (schema.models ?? []).sorted().joined(separator: ", ") + ")")
            }
            if entry.key == "seeds" {
                seeds = try parseSeeds(entry.node, file: file, line: entry.line)
                continue
            }
            let list: [Node]
            if let seq = entry.node.sequence {
                guard schema.sweepable else {
                    throw SpecError(file: file, line: entry.line, "key '\(entry.key)' takes one value, not a list")
                }
                guard !seq.isEmpty else {
                    throw SpecError(file: file, line: entry.line,
                                    "key '\(entry.key)': empty list; give at least one value (\(schema.expectation))")
                }
                list = Array(seq)
            } else {
                list = [entry.node]
            }
            var values: [SpecValue] = []
            for node in list {
                let value = try parseScalar(node, schema: schema, file: file, line: node.mark?.line ?? entry.line)
                if values.contains(value) {
                    throw SpecError(file: file, line: node.mark?.line ?? entry.line,
                                    "key '\(entry.key)': value \(value) is listed twice")
                }
                values.append(value)
            }
            resolved.append((entry.key, values))
        }
        for schema in SpecSchema.keys where schema.name != "seeds" && schema.applies(to: model)
            && !resolved.contains(where: { $0.key == schema.name }) {
            if let d = SpecSchema.defaultValue(schema, model: model) {
                resolved.append((schema.name, [d]))
            } else if schema.name == "name" {
                let stem = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
                resolved.append(("name", [.string(stem.isEmpty ? "sweep" : stem)]))
            } else if schema.name == "data_dir" {
                continue  // optional; located at run time
            } else {
                throw SpecError(file: file, "missing required key '\(schema.name)' (\(schema.expectation)): \(schema.doc)")
            }
        }
        let name = resolved.first { $0.key == "name" }!.values[0].description
        guard name.range(of: "^[A-Za-z0-9._-]+$", options: .regularExpression) != nil, !name.hasPrefix(".") else {
            throw SpecError(file: file, "key 'name': '\(name)' may hold only letters, digits, '.', '_' and '-' (it names files)")
        }
        let sweepSeed = UInt64(resolved.first { $0.key == "seed" }!.values[0].intValue!)
        let spec = Spec(file: file, text: text, name: name, sweepSeed: sweepSeed, seeds: seeds, values: resolved,
                        givenKeys: Set(given.map(\.key)))
        try spec.checkCombinations()
        return spec
    }

    static func parseSeeds(_ node: Node, file: String, line: Int?) throws -> [Int] {
        if let seq = node.sequence {
            guard !seq.isEmpty else { throw SpecError(file: file, line: line, "key 'seeds': empty list; give a count or seed numbers") }
            var out: [Int] = []
            for item in seq {
                guard let v = item.int, v >= 0, v <= Int(Int32.max) else {
                    throw SpecError(file: file, line: item.mark?.line ?? line,
                                    "key 'seeds': expected seed numbers >= 0, got '\(item.string ?? "?")'")
                }
                guard !out.contains(v) else {
                    throw SpecError(file: file, line: item.mark?.line ?? line, "key 'seeds': seed \(v) is listed twice")
                }
                out.append(v)
            }
            return out
        }
        guard node.scalar != nil, let n = node.int, n >= 1, n <= 1_000_000 else {
            throw SpecError(file: file, line: line,
                            "key 'seeds': expected a count in 1...1000000 or a list of seed numbers, got '\(node.string ?? "a mapping")'")
        }
        return Array(0..<n)
    }

    static func parseScalar(_ node: Node, schema: SpecKey, file: String, line: Int?) throws -> SpecValue {
        guard let scalar = node.scalar else {
            throw SpecError(file: file, line: line,
                            "key '\(schema.name)': expected \(schema.expectation), got a \(node.sequence != nil ? "nested list" : "mapping")")
        }
        let raw = scalar.string
        func bad(_ extra: String = "") -> SpecError {
            SpecError(file: file, line: line, "key '\(schema.name)': expected \(schema.expectation), got '\(raw)'\(extra)")
        }
        switch schema.kind {
        case .int(let lo, let hi):
            guard let v = node.int, v >= lo else { throw bad() }
            guard v <= hi else { throw bad(" (at most \(hi))") }
            return .int(v)
        case .intOrWord(let lo, let hi, let word):
            if raw == word { return .string(word) }
            guard let v = node.int, v >= lo else { throw bad() }
            guard v <= hi else { throw bad(" (at most \(hi))") }
            return .int(v)
        case .double(let lo, let hi):
            guard let v = node.float, v.isFinite else { throw bad() }
            guard v >= lo, v <= hi else { throw bad() }
            return .double(v)
        case .choice(let options):
            guard options.contains(raw) else { throw bad() }
            return .string(raw)
        case .text:
            guard !raw.isEmpty else { throw bad() }
            return .string(raw)
        }
    }

    /// Checks that need more than one key.
    func checkCombinations() throws {
        let model = single("model")!.description
        let datasets = values(of: "dataset").map(\.description)
        let regression = datasets.filter { $0.hasPrefix("synthetic") }
        if !regression.isEmpty {
            for key in ["target", "label_noise", "input_corruption"] {
                let v = values(of: key).map(\.description)
                if v != [SpecSchema.key(key)!.defaultValue!.description] {
                    throw SpecError(file: file, "key '\(key)': \(regression[0]) is a regression set; '\(key)' needs an image dataset")
                }
            }
            if model == "mlp", let bad = values(of: "loss").map(\.description).first(where: { $0 != "mse" }) {
                throw SpecError(file: file, "key 'loss': \(bad) needs class labels, but \(regression[0]) is a regression set; use mse")
            }
        }
        if model == "mlp" && values(of: "target").contains(.string("parity"))
            && values(of: "loss").contains(.string("cross_entropy")) {
            throw SpecError(file: file, "key 'loss': cross_entropy needs several classes, but target parity has one output; "
                + "use hinge, quadratic_hinge or mse")
        }
        if model == "mlp" && values(of: "optimizer").contains(.string("gd"))
            && values(of: "batch_size") != [.string("full")] && givenKeys.contains("batch_size") {
            throw SpecError(file: file, "key 'batch_size': optimizer gd is full-batch; drop batch_size or set it to full")
        }
        if single("adaptive")?.stringValue != "none" && values(of: "width").count < 2 {
            throw SpecError(file: file, "key 'adaptive': needs 'width' to be a list of at least two widths to refine between")
        }
        if values(of: "early_stopping").contains(where: { ($0.intValue ?? 0) > 0 })
            && values(of: "validation_size").contains(where: { ($0.intValue ?? 0) == 0 }) {
            throw SpecError(file: file, "key 'early_stopping': needs 'validation_size' > 0 to watch a held-out loss")
        }
        if (single("ensemble_size")?.intValue ?? 1) > 1
            && values(of: "prune_rounds").contains(where: { ($0.intValue ?? 0) > 0 }) {
            throw SpecError(file: file, "key 'ensemble_size': lottery tickets (prune_rounds) train one net at a time; "
                + "drop ensemble_size or set it to 1")
        }
        for layers in values(of: "layers").compactMap(\.stringValue) where !layers.isEmpty {
            guard layers.range(of: "^[1-9][0-9]{0,6}(-[1-9][0-9]{0,6})*$", options: .regularExpression) != nil else {
                throw SpecError(file: file, "key 'layers': expected hidden widths like \"300-100\", got '\(layers)'")
            }
        }
        for width in values(of: "width").compactMap(\.intValue) where width > 1_000_000 {
            throw SpecError(file: file, "key 'width': \(width) would not fit in memory; use at most 1000000")
        }
    }

}

/// The 64-bit FNV-1a digest used for fingerprints (the same mixing as stream keys).
enum StreamKeyDigest {
    static func digest(_ s: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in s.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
        return h
    }
}
