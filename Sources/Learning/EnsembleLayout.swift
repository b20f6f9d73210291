import Numerical

/// Where each of K nets of one architecture keeps its parameters in one flat buffer
/// shared by the ensemble: layer by layer, the K weight matrices stacked, then the
/// K bias vectors,
///
///     [W1 of nets 0..K-1 | b1 of nets 0..K-1 | W2 of nets 0..K-1 | b2 ... ]
///
/// so the first layer's weights of the whole ensemble are one (K fanOut) x fanIn
/// matrix (one GEMM each way on a shared batch), every layer's biases are one
/// vector, and elementwise work (the optimizer) is one pass over the buffer.
/// With K = 1 this is `MLPArchitecture`'s own layout.
public struct EnsembleLayout: Sendable, Equatable {
    public let architecture: MLPArchitecture
    public let members: Int

    public init(architecture: MLPArchitecture, members: Int) {
        precondition(members >= 1, "an ensemble has at least one net")
        self.architecture = architecture
        self.members = members
    }

    public var parameterCount: Int { members * architecture.parameterCount }

    /// Start of layer `l`'s stacked weights ([K][fanOut][fanIn]).
    public func stackedWeights(layer l: Int) -> Int { members * architecture.layers[l].weightOffset }

    /// Start of layer `l`'s stacked biases ([K][fanOut]).
    public func stackedBiases(layer l: Int) -> Int {
        let layer = architecture.layers[l]
        return stackedWeights(layer: l) + members * layer.fanIn * layer.fanOut
    }

    public func weightOffset(layer l: Int, member k: Int) -> Int {
        let layer = architecture.layers[l]
        return stackedWeights(layer: l) + k * layer.fanIn * layer.fanOut
    }

    public func biasOffset(layer l: Int, member k: Int) -> Int {
        stackedBiases(layer: l) + k * architecture.layers[l].fanOut
    }

    /// Member `k`'s parameters in the single-net layout.
    public func extract<T>(_ buffer: [T], member k: Int) -> [T] {
        var out: [T] = []
        out.reserveCapacity(architecture.parameterCount)
        for (l, layer) in architecture.layers.enumerated() {
            let w = weightOffset(layer: l, member: k), b = biasOffset(layer: l, member: k)
            out += buffer[w..<(w + layer.fanIn * layer.fanOut)]
            out += buffer[b..<(b + layer.fanOut)]
        }
        return out
    }

    /// Writes single-net parameters into member `k`'s places.
    public func insert<T>(_ single: [T], member k: Int, into buffer: inout [T]) {
        precondition(single.count == architecture.parameterCount && buffer.count == parameterCount)
        for (l, layer) in architecture.layers.enumerated() {
            let w = weightOffset(layer: l, member: k), b = biasOffset(layer: l, member: k)
            let n = layer.fanIn * layer.fanOut
            buffer.replaceSubrange(w..<(w + n), with: single[layer.weightOffset..<(layer.weightOffset + n)])
            buffer.replaceSubrange(b..<(b + layer.fanOut), with: single[layer.biasOffset..<(layer.biasOffset + layer.fanOut)])
        }
    }

    /// The buffer of the ensemble made of `kept` members only (in that order).
    public func compact<T>(_ buffer: [T], keeping kept: [Int], zero: T) -> [T] {
        guard !kept.isEmpty else { return [] }
        let smaller = EnsembleLayout(architecture: architecture, members: kept.count)
        var out = [T](repeating: zero, count: smaller.parameterCount)
        for (j, k) in kept.enumerated() { smaller.insert(extract(buffer, member: k), member: j, into: &out) }
        return out
    }
}
