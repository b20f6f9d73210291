/// The keys a spec may hold: their type, range, default and meaning.
///
/// One table serves parsing, validation, `overparam keys` style help and the error
/// messages, so a new option is added in exactly one place.
public struct SpecKey: Sendable {
    public enum Kind: Sendable {
        case int(min: Int, max: Int)
        case double(min: Double, max: Double)
        case choice([String])
        case text
    }

    public let name: String
    public let kind: Kind
    /// nil: the key is required.
    public let defaultValue: SpecValue?
    /// Whether a list of values makes it a swept axis.
    public let sweepable: Bool
    /// Whether the value affects what a task computes (and so its random streams).
    /// Locations and storage options do not.
    public let affectsResults: Bool
    public let doc: String

    /// What a value must look like, for error messages.
    public var expectation: String {
        switch kind {
        // Upper limits this large only guard against typos; they are named when hit.
        case .int(let lo, let hi) where hi >= 1_000_000: return "an integer >= \(lo)"
        case .int(let lo, let hi): return "an integer in \(lo)...\(hi)"
        case .double(let lo, let hi): return "a number in [\(lo), \(hi)]"
        case .choice(let options): return "one of " + options.joined(separator: ", ")
        case .text: return "a string"
        }
    }
}

public enum SpecSchema {
    /// Model kinds a spec may name.
    public static let models = ["random_features"]
    /// Datasets a spec may name.
    public static let datasets = ["fashion-mnist", "idx", "synthetic-toy", "synthetic-linear"]

    public static let keys: [SpecKey] = [
        SpecKey(name: "name", kind: .text, defaultValue: nil, sweepable: false, affectsResults: false,
                doc: "Sweep name, used for the default store path (defaults to the spec's file name)."),
        SpecKey(name: "model", kind: .choice(models), defaultValue: nil, sweepable: false, affectsResults: true,
                doc: "Model kind."),
        SpecKey(name: "seed", kind: .int(min: 0, max: Int(Int32.max)), defaultValue: .int(0), sweepable: false,
                affectsResults: true, doc: "Sweep seed: every random stream is derived from it and the task's coordinates."),
        SpecKey(name: "seeds", kind: .int(min: 0, max: 1_000_000), defaultValue: .int(1), sweepable: false,
                affectsResults: true,
                doc: "Initializations per cell: a count n (seeds 0..n-1) or an explicit list of seed numbers."),
        SpecKey(name: "dataset", kind: .choice(datasets), defaultValue: .string("fashion-mnist"), sweepable: true,
                affectsResults: true,
                doc: "fashion-mnist (Debian's IDX files), idx (any IDX directory, see data_dir), "
                    + "synthetic-toy (10 points on [-3,3], N(0,1) targets), synthetic-linear (y = 3 + 0.7x + N(0,4) on [0,20])."),
        SpecKey(name: "data_dir", kind: .text, defaultValue: nil, sweepable: false, affectsResults: false,
                doc: "IDX directory; overridden by --data and OVERPARAM_DATA."),
        SpecKey(name: "train_size", kind: .int(min: 1, max: 10_000_000), defaultValue: .int(200), sweepable: true,
                affectsResults: true, doc: "P: training samples (a seeded subset of the training file)."),
        SpecKey(name: "test_size", kind: .int(min: 1, max: 10_000_000), defaultValue: .int(1000), sweepable: true,
                affectsResults: true, doc: "M: test samples whose outputs are gathered on rank 0."),
        SpecKey(name: "data_seed", kind: .int(min: 0, max: Int(Int32.max)), defaultValue: .int(0), sweepable: true,
                affectsResults: true, doc: "Which subset of the data: shared by all widths and seeds of a cell."),
        SpecKey(name: "preprocess", kind: .choice(["none", "center", "standardize", "sphere"]),
                defaultValue: .string("center"), sweepable: true, affectsResults: true,
                doc: "Input transform from training statistics: none, center (subtract the mean), "
                    + "standardize (and divide by the std), sphere (center, then ||x|| = sqrt(D))."),
        SpecKey(name: "width", kind: .int(min: 1, max: 10_000_000), defaultValue: nil, sweepable: true,
                affectsResults: true, doc: "N: random features (random_features)."),
        SpecKey(name: "precision", kind: .choice(["float32", "float64"]), defaultValue: .string("float64"),
                sweepable: true, affectsResults: true, doc: "Arithmetic of the model and its outputs."),
        SpecKey(name: "outputs", kind: .choice(["all", "none"]), defaultValue: .string("all"), sweepable: false,
                affectsResults: false, doc: "Keep every net's raw test-set outputs in the store (all) or not (none)."),
    ]

    public static func key(_ name: String) -> SpecKey? { keys.first { $0.name == name } }
}
