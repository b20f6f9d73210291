/// Elementwise nonlinearity of the hidden layers.
public enum Activation: String, Sendable, CaseIterable {
    case relu
    case tanh
}

/// How weights are drawn and scaled.
public enum Parameterization: String, Sendable, CaseIterable {
    /// z = W a + b with W ~ N(0, 2/fan_in) (He) for ReLU layers, N(0, 1/fan_in)
    /// (LeCun) for tanh layers and the output layer; biases start at 0.
    case standard
    /// The neural-tangent parameterization (Jacot et al.; Geiger et al.):
    /// z = W a / sqrt(fan_in) + b with W ~ N(0, 1); biases start at 0.
    case ntk
}

/// The shape of a fully connected network and where each layer's parameters live
/// in one flat buffer: [W1, b1, W2, b2, ...], W_l row-major fan_out x fan_in.
///
/// Shape letters: D inputs, H_l widths of the hidden layers, C outputs.
public struct MLPArchitecture: Sendable, Equatable {
    public let inputs: Int
    public let hidden: [Int]
    public let outputs: Int
    public let activation: Activation
    public let parameterization: Parameterization

    public struct Layer: Sendable, Equatable {
        public let fanIn: Int
        public let fanOut: Int
        /// Offset of W (fanOut x fanIn) in the flat buffer; b follows it.
        public let weightOffset: Int
        public var biasOffset: Int { weightOffset + fanIn * fanOut }
        /// The factor on W a in the forward pass (1, or 1/sqrt(fanIn) under NTK).
        public let forwardScale: Double
    }

    public let layers: [Layer]
    public let parameterCount: Int

    public init(inputs: Int, hidden: [Int], outputs: Int, activation: Activation = .relu,
                parameterization: Parameterization = .standard) {
        precondition(inputs >= 1 && outputs >= 1 && hidden.allSatisfy { $0 >= 1 }, "MLP sizes must be >= 1")
        self.inputs = inputs
        self.hidden = hidden
        self.outputs = outputs
        self.activation = activation
        self.parameterization = parameterization
        let sizes = [inputs] + hidden + [outputs]
        var layers: [Layer] = []
        var offset = 0
        for l in 1..<sizes.count {
            let scale = parameterization == .ntk ? 1 / Double(sizes[l - 1]).squareRoot() : 1
            layers.append(Layer(fanIn: sizes[l - 1], fanOut: sizes[l], weightOffset: offset, forwardScale: scale))
            offset += sizes[l - 1] * sizes[l] + sizes[l]
        }
        self.layers = layers
        self.parameterCount = offset
    }

    /// `depth` hidden layers of `width` units.
    public init(inputs: Int, depth: Int, width: Int, outputs: Int, activation: Activation = .relu,
                parameterization: Parameterization = .standard) {
        self.init(inputs: inputs, hidden: [Int](repeating: width, count: depth), outputs: outputs,
                  activation: activation, parameterization: parameterization)
    }

    /// Standard deviation of layer `l`'s initial weights.
    func initialStd(layer l: Int) -> Double {
        switch parameterization {
        case .ntk: return 1
        case .standard:
            let fanIn = Double(layers[l].fanIn)
            let isHidden = l < layers.count - 1
            return (isHidden && activation == .relu ? 2 / fanIn : 1 / fanIn).squareRoot()
        }
    }
}
