/// The keys a spec may hold: their type, range, default and meaning.
///
/// One table serves parsing, validation, `overparam keys` and the error messages,
/// so a new option is added in exactly one place.
public struct SpecKey: Sendable {
    public enum Kind: Sendable {
        case int(min: Int, max: Int)
        /// An integer, or the one word given (e.g. batch_size: full).
        case intOrWord(min: Int, max: Int, word: String)
        case double(min: Double, max: Double)
        case choice([String])
        case text
    }

    public let name: String
    public let kind: Kind
    /// nil: the key is required (or, for `name` and `data_dir`, found elsewhere).
    public let defaultValue: SpecValue?
    /// Whether a list of values makes it a swept axis.
    public let sweepable: Bool
    /// Whether the value affects what a task computes (and so its random streams).
    /// Locations, storage options and the adaptive mode (which adds tasks but does
    /// not change any) do not.
    ///
    /// Every key with `affectsResults` is part of each task's stream identity, at its
    /// default too: a key added later with `affectsResults` would change the random
    /// streams of every existing sweep. Such a key must be left out of
    /// `PlannedTask.canonicalConfig` while it holds its default.
    public let affectsResults: Bool
    /// The models it applies to; nil for all.
    public let models: Set<String>?
    /// Whether the key joins a task's stream identity while it holds its default.
    /// True for the keys of the first release; keys added later set it false, so
    /// adding them leaves every existing sweep's random streams unchanged.
    public let inIdentityAtDefault: Bool
    /// Whether the key only says how tasks are executed (e.g. trained together):
    /// part of the fingerprint, never of a task's stream identity, so every net is
    /// drawn the same whichever way it runs.
    public let executionOnly: Bool
    public let doc: String

    init(_ name: String, _ kind: Kind, _ defaultValue: SpecValue?, sweepable: Bool = true,
         affectsResults: Bool = true, models: Set<String>? = nil, inIdentityAtDefault: Bool = true,
         executionOnly: Bool = false, _ doc: String) {
        self.inIdentityAtDefault = inIdentityAtDefault
        self.executionOnly = executionOnly
        self.name = name
        self.kind = kind
        self.defaultValue = defaultValue
        self.sweepable = sweepable
        self.affectsResults = affectsResults
        self.models = models
        self.doc = doc
    }

    public func applies(to model: String) -> Bool { models?.contains(model) ?? true }

    /// What a value must look like, for error messages.
    public var expectation: String {
        switch kind {
        // Upper limits this large only guard against typos; they are named when hit.
        case .int(let lo, let hi) where hi >= 1_000_000: return "an integer >= \(lo)"
        case .int(let lo, let hi): return "an integer in \(lo)...\(hi)"
        case .intOrWord(let lo, _, let word): return "an integer >= \(lo) or '\(word)'"
        case .double(let lo, let hi) where hi == .infinity: return "a number >= \(lo)"
        case .double(let lo, let hi): return "a number in [\(lo), \(hi)]"
        case .choice(let options): return "one of " + options.joined(separator: ", ")
        case .text: return "a string"
        }
    }
}

public enum SpecSchema {
    /// Model kinds a spec may name.
    public static let models = ["random_features", "mlp", "kernel"]
    /// Datasets a spec may name.
    public static let datasets = ["fashion-mnist", "idx", "synthetic-toy", "synthetic-linear"]

    static let mlp: Set<String> = ["mlp"]
    static let networks: Set<String> = ["random_features", "mlp"]
    static let big = 10_000_000

    public static let keys: [SpecKey] = [
        SpecKey("name", .text, nil, sweepable: false, affectsResults: false,
                "Sweep name, used for the default store path (defaults to the spec's file name)."),
        SpecKey("model", .choice(models), nil, sweepable: false, "Model kind."),
        SpecKey("seed", .int(min: 0, max: Int(Int32.max)), .int(0), sweepable: false,
                "Sweep seed: every random stream is derived from it and the task's coordinates."),
        SpecKey("seeds", .int(min: 0, max: 1_000_000), .int(1), sweepable: false,
                "Initializations per cell: a count n (seeds 0..n-1) or an explicit list of seed numbers."),

        // Data
        SpecKey("dataset", .choice(datasets), .string("fashion-mnist"),
                "fashion-mnist (Debian's IDX files), idx (any IDX directory, see data_dir), "
                    + "synthetic-toy (N(0,1) targets on [-3,3]), synthetic-linear (y = 3 + 0.7x + N(0,4) on [0,20])."),
        SpecKey("data_dir", .text, nil, sweepable: false, affectsResults: false,
                "IDX directory; overridden by --data and OVERPARAM_DATA."),
        SpecKey("train_size", .int(min: 1, max: big), .int(200), "P: training samples (a seeded subset of the training file)."),
        SpecKey("test_size", .int(min: 1, max: big), .int(1000), "M: test samples whose outputs are gathered on rank 0."),
        SpecKey("data_seed", .int(min: 0, max: Int(Int32.max)), .int(0),
                "Which subset (and corruption) of the data: shared by all widths and seeds of a cell."),
        SpecKey("preprocess", .choice(["none", "center", "standardize", "sphere"]), .string("center"),
                "Input transform from training statistics: none, center (subtract the mean), "
                    + "standardize (and divide by the std), sphere (center, then ||x|| = sqrt(D))."),
        SpecKey("validation_size", .int(min: 0, max: big), .int(0), inIdentityAtDefault: false,
                "Examples held out of the training file (beyond train_size) for early stopping."),
        SpecKey("target", .choice(["class", "parity"]), .string("class"),
                "class: one-hot classes; parity: even/odd class index as one output +-1 (Geiger et al.)."),
        SpecKey("label_noise", .double(min: 0, max: 1), .double(0),
                "Probability p that a training label is corrupted (test labels stay clean); 1 with uniform = random labels."),
        SpecKey("label_noise_mode", .choice(["uniform", "flip"]), .string("uniform"),
                "uniform: replaced by a uniform label, which may equal the true one (rate p(1-1/K)); flip: a different label (rate p)."),
        SpecKey("input_corruption", .choice(["none", "shuffled_pixels", "random_pixels", "gaussian"]), .string("none"),
                "Zhang et al.'s input corruptions, applied to train and test inputs."),

        // Model
        SpecKey("width", .int(min: 1, max: big), nil, models: networks,
                "N: random features (random_features); units per hidden layer (mlp)."),
        SpecKey("precision", .choice(["float32", "float64"]), .string("float64"), models: networks,
                "Arithmetic of the model and its outputs (mlp defaults to float32; kernel is always float64)."),
        SpecKey("kernel", .choice(KernelKind.allCases.map(\.rawValue)), .string("gaussian"), models: ["kernel"],
                "Kernel of min-norm interpolation: gaussian, linear (x.x' + 1), ntk (one-hidden-layer ReLU NTK)."),
        SpecKey("bandwidth", .double(min: 0, max: .infinity), .double(0), models: ["kernel"],
                "Gaussian kernel width s; 0 means sqrt(D) (inputs are centered, so ||x - x'||^2 ~ D scale)."),
        SpecKey("depth", .int(min: 1, max: 1000), .int(1), models: mlp, "Hidden layers."),
        SpecKey("layers", .text, .string(""), models: mlp, inIdentityAtDefault: false,
                "Hidden widths as text, e.g. \"300-100\" for LeNet-300-100; overrides depth and width."),
        SpecKey("activation", .choice(Activation.allCases.map(\.rawValue)), .string("relu"), models: mlp, "Hidden nonlinearity."),
        SpecKey("parameterization", .choice(["standard", "ntk"]), .string("standard"), models: mlp,
                "standard: He/LeCun normal init; ntk: N(0,1) weights, layer outputs scaled by 1/sqrt(fan-in)."),

        // Training
        SpecKey("loss", .choice(["cross_entropy", "mse", "hinge", "quadratic_hinge"]), .string("cross_entropy"), models: mlp,
                "Training loss (hinge losses read one-hot targets one-versus-all as +-1)."),
        SpecKey("optimizer", .choice(["adam", "sgd", "gd"]), .string("adam"), models: mlp,
                "adam; sgd (with momentum and weight_decay); gd (full-batch gradient descent)."),
        SpecKey("learning_rate", .double(min: 0, max: .infinity), .double(0.001), models: mlp, "Base learning rate."),
        SpecKey("momentum", .double(min: 0, max: 1), .double(0), models: mlp, "SGD momentum."),
        SpecKey("weight_decay", .double(min: 0, max: .infinity), .double(0), models: mlp, "L2 penalty added to the gradient."),
        SpecKey("batch_size", .intOrWord(min: 1, max: big, word: "full"), .int(100), models: mlp,
                "Minibatch size, or full (forced by optimizer gd)."),
        SpecKey("epochs", .int(min: 1, max: big), .int(100), models: mlp, "Maximum epochs."),
        SpecKey("lr_schedule", .choice(["constant", "step"]), .string("constant"), models: mlp,
                "constant, or step: multiply by lr_step_factor every lr_step_every epochs."),
        SpecKey("lr_step_every", .int(min: 1, max: big), .int(100), models: mlp, "Epochs between steps of the step schedule."),
        SpecKey("lr_step_factor", .double(min: 0, max: 1), .double(0.1), models: mlp, "Factor of the step schedule."),
        SpecKey("stop", .choice(["none", "interpolation"]), .string("none"), models: mlp,
                "interpolation: stop at zero training error (and, for hinge losses, all margins >= 1)."),
        SpecKey("loss_tolerance", .double(min: 0, max: .infinity), .double(0), models: mlp,
                "Stop once the mean training loss is below this (0: off)."),
        SpecKey("early_stopping", .int(min: 0, max: big), .int(0), models: mlp, inIdentityAtDefault: false,
                "Patience in epochs: stop once the validation loss has not improved for this long and keep the best "
                    + "epoch's weights (0: off; needs validation_size)."),
        SpecKey("ensemble_size", .int(min: 1, max: 4096), .int(1), sweepable: false, models: mlp,
                inIdentityAtDefault: false, executionOnly: true,
                "Seeds of a cell trained together in lockstep as one BLAS problem (one dispatch, one rank). Each net "
                    + "keeps its own initialization and stop rules and is stored as its own task; its results equal "
                    + "its training alone up to Float rounding. Fastest with data_order: shared."),
        SpecKey("data_order", .choice(["per_seed", "shared"]), .string("per_seed"), models: mlp, inIdentityAtDefault: false,
                "Minibatch order: per_seed (each seed its own shuffles) or shared (every seed of a cell sees the same "
                    + "minibatches, so an ensemble's first layer is one GEMM)."),
        SpecKey("max_seconds", .double(min: 0, max: .infinity), .double(0), affectsResults: false, models: mlp,
                "Stop a task after this much training time (0: off). Results then depend on machine speed."),
        SpecKey("curve_points", .int(min: 0, max: 10_000), .int(0), models: mlp,
                "Record train/test loss, error, margins, ||f|| and ||w - w0|| at about this many log-spaced epochs."),

        SpecKey("adaptive", .choice(["none", "jamming", "peak"]), .string("none"), sweepable: false, affectsResults: false,
                "Add widths while the sweep runs: jamming bisects between the largest width where some seed "
                    + "does not fit and the next where all do; peak bisects around the width of largest test loss."),
        SpecKey("adaptive_steps", .int(min: 1, max: 64), .int(4), sweepable: false, affectsResults: false,
                "Widths the adaptive mode may add per group (each with every seed)."),
        SpecKey("prune_rounds", .int(min: 0, max: 100), .int(0), models: mlp, inIdentityAtDefault: false,
                "Lottery tickets (Frankle & Carbin): rounds of magnitude pruning, rewinding and retraining after the "
                    + "dense run, each also training two controls (random re-initialization, random mask). 0: off."),
        SpecKey("prune_rate", .double(min: 0, max: 1), .double(0.2), models: mlp, inIdentityAtDefault: false,
                "Fraction of each hidden layer's remaining weights pruned per round."),
        SpecKey("prune_rate_output", .double(min: 0, max: 1), .double(0.1), models: mlp, inIdentityAtDefault: false,
                "Fraction of the output layer's remaining weights pruned per round."),
        SpecKey("rewind_epoch", .int(min: 0, max: big), .int(0), models: mlp, inIdentityAtDefault: false,
                "Rewind tickets to the weights after this many epochs (0: the initialization)."),
        SpecKey("outputs", .choice(["all", "float16", "none"]), .string("all"), sweepable: false, affectsResults: false,
                "Keep every net's raw test-set outputs in the store: all (in its precision), float16 (half the "
                    + "bytes of float32, ~3 digits; ensemble statistics are then computed from the rounded values), or none."),
    ]

    /// Defaults that differ by model.
    static let modelDefaults: [String: [String: SpecValue]] = ["mlp": ["precision": .string("float32")]]

    public static func key(_ name: String) -> SpecKey? { keys.first { $0.name == name } }

    static func defaultValue(_ key: SpecKey, model: String) -> SpecValue? {
        modelDefaults[model]?[key.name] ?? key.defaultValue
    }
}

import Learning
