import Foundation
import Numerical

/// The forward and backward passes of K fully connected nets of one architecture
/// over flat buffers (llm.c style), K = 1 for a single net. Parameters follow
/// `EnsembleLayout`.
///
/// When the K nets see the same batch, the first layer of all of them is one GEMM
/// each way (X times the K weight matrices side by side, and dZ^T X for all K
/// gradients); the other layers run as K small GEMMs back to back on strided views
/// of shared buffers, so nothing is copied per net. When each net has its own
/// batch (per-net data order), the first layer is K GEMMs too. Bias adds,
/// activations and bias gradients are one pass over the whole ensemble.
///
/// Activations of hidden layer l: rows x (K fanOut), net k in columns k fanOut ..<
/// (k + 1) fanOut. Outputs: K blocks of rows x C, one after another (so each
/// net's outputs and output gradients are contiguous for the loss).
///
/// Buffers for a batch of up to `capacity` rows are allocated once; a training
/// step allocates nothing but the input pointer list. Not thread-safe: one network
/// per training thread.
public final class MLPNetwork<T: BLASScalar> {
    public let architecture: MLPArchitecture
    public let layout: EnsembleLayout
    public var members: Int { layout.members }
    public let capacity: Int
    /// All parameters, laid out as `layout` says.
    public var parameters: [T]
    /// dLoss/dparameters of the last `backward`, same layout. `backward` adds the
    /// weight gradients onto it (GEMMs with beta = 1: no separate pass to clear a
    /// buffer of tens of MB), so it must be zero before: the optimizer's update
    /// leaves it so, and so does `clearGradients`.
    public var gradients: [T]

    // Per layer: pre-activations z_l and activations a_l (capacity x K fanOut), and
    // the gradient w.r.t. z_l. The output layer's a_L is its z_L.
    private var z: [UnsafeMutablePointer<T>]
    private var a: [UnsafeMutablePointer<T>]
    private var dz: [UnsafeMutablePointer<T>]
    private var dA: UnsafeMutablePointer<T>   // scratch for dLoss/da_{l-1}
    private var inputs: [UnsafePointer<T>] = []
    private var rows = 0

    public init(architecture: MLPArchitecture, capacity: Int, members: Int = 1) {
        precondition(capacity >= 1)
        self.architecture = architecture
        self.layout = EnsembleLayout(architecture: architecture, members: members)
        self.capacity = capacity
        parameters = [T](repeating: 0, count: layout.parameterCount)
        gradients = [T](repeating: 0, count: layout.parameterCount)
        z = architecture.layers.map { UnsafeMutablePointer<T>.allocate(capacity: capacity * members * $0.fanOut) }
        a = architecture.layers.map { UnsafeMutablePointer<T>.allocate(capacity: capacity * members * $0.fanOut) }
        dz = architecture.layers.map { UnsafeMutablePointer<T>.allocate(capacity: capacity * members * $0.fanOut) }
        let widest = architecture.layers.map(\.fanIn).max() ?? 1
        dA = UnsafeMutablePointer<T>.allocate(capacity: capacity * members * widest)
    }

    deinit {
        (z + a + dz).forEach { $0.deallocate() }
        dA.deallocate()
    }

    /// Draws a single net's initial weights from `stream` (layer by layer, W row by
    /// row); biases start at zero. Single-net layout.
    public static func initialParameters(_ architecture: MLPArchitecture, stream: inout RandomStream) -> [T] {
        var p = [T](repeating: 0, count: architecture.parameterCount)
        for (l, layer) in architecture.layers.enumerated() {
            let std = architecture.initialStd(layer: l)
            for i in 0..<(layer.fanIn * layer.fanOut) {
                p[layer.weightOffset + i] = T(std * stream.nextNormal())
            }
        }
        return p
    }

    /// Draws net k's initial weights from `streams[k]`.
    public func initialize(streams: inout [RandomStream]) {
        precondition(streams.count == members)
        for k in 0..<members {
            layout.insert(Self.initialParameters(architecture, stream: &streams[k]), member: k, into: &parameters)
        }
    }

    /// A single net's initial weights from `stream`.
    public func initialize(stream: inout RandomStream) {
        precondition(members == 1)
        parameters = Self.initialParameters(architecture, stream: &stream)
    }

    /// Net k's outputs for the last `forward` (rows x C, row-major).
    public func outputs(member k: Int) -> UnsafeMutablePointer<T> { z[z.count - 1] + k * rows * architecture.outputs }

    /// A single net's outputs for the last `forward`.
    public var outputs: UnsafeMutablePointer<T> { outputs(member: 0) }

    /// f(x) for `rows` inputs: one batch (rows x D) for every net, or one per net.
    /// The pointers must stay valid until `backward` is done with them.
    public func forward(_ x: [UnsafePointer<T>], rows: Int) {
        precondition(rows <= capacity, "batch of \(rows) exceeds capacity \(capacity)")
        precondition(x.count == 1 || x.count == members, "give one batch, or one per net")
        inputs = x
        self.rows = rows
        let K = members, layers = architecture.layers, last = layers.count - 1
        parameters.withUnsafeBufferPointer { pb in
            let p = pb.baseAddress!
            for (l, layer) in layers.enumerated() {
                let n = layer.fanOut, alpha = T(layer.forwardScale)
                // z = b + scale * a W^T: the biases first, the GEMM adds onto them (beta = 1).
                // Hidden layers hold the K nets side by side, so their biases are one
                // stacked vector; the output layer holds them one after another.
                if l == last {
                    for k in 0..<K {
                        T.fillRows(z[l] + k * rows * n, p + layout.biasOffset(layer: l, member: k), rows: rows, cols: n)
                    }
                } else {
                    T.fillRows(z[l], p + layout.stackedBiases(layer: l), rows: rows, cols: K * n)
                }
                if l == 0 && x.count == 1 {
                    // The whole ensemble's first layer at once: X [W_1; ...; W_K]^T.
                    T.gemm(transA: false, transB: true, m: rows, n: K * n, k: layer.fanIn, alpha: alpha,
                           a: x[0], lda: layer.fanIn, b: p + layout.stackedWeights(layer: 0), ldb: layer.fanIn,
                           beta: 1, c: z[0], ldc: K * n)
                } else {
                    for k in 0..<K {
                        let (input, ldIn): (UnsafePointer<T>, Int) = l == 0
                            ? (x[k], layer.fanIn) : (UnsafePointer(a[l - 1] + k * layer.fanIn), K * layer.fanIn)
                        let (out, ldOut) = l == last ? (z[l] + k * rows * n, n) : (z[l] + k * n, K * n)
                        T.gemm(transA: false, transB: true, m: rows, n: n, k: layer.fanIn, alpha: alpha,
                               a: input, lda: ldIn, b: p + layout.weightOffset(layer: l, member: k), ldb: layer.fanIn,
                               beta: 1, c: out, ldc: ldOut)
                    }
                }
                if l < last { activate(z[l], into: a[l], count: rows * K * n) }
            }
        }
    }

    /// A single batch for every net.
    public func forward(_ x: UnsafePointer<T>, rows: Int) { forward([x], rows: rows) }

    /// Zeroes `gradients` (for a `backward` not preceded by an optimizer step).
    public func clearGradients() {
        gradients.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
    }

    /// Back-propagates `dOutputs` (K blocks of rows x C as `outputs(member:)` lays
    /// them out: dLoss/df for the last forward) into `gradients`, which must be zero
    /// on entry (see there). The first layer's input gradient is never formed:
    /// nothing needs it.
    public func backward(_ dOutputs: UnsafePointer<T>) {
        let K = members, layers = architecture.layers, last = layers.count - 1
        dz[last].update(from: dOutputs, count: K * rows * layers[last].fanOut)
        parameters.withUnsafeBufferPointer { pb in
            gradients.withUnsafeMutableBufferPointer { gb in
                let p = pb.baseAddress!, g = gb.baseAddress!
                for l in stride(from: last, through: 0, by: -1) {
                    let layer = layers[l], n = layer.fanOut, alpha = T(layer.forwardScale)
                    // dz_l of net k: rows x n at (pointer, leading dimension).
                    func dzOf(_ k: Int) -> (UnsafeMutablePointer<T>, Int) {
                        l == last ? (dz[l] + k * rows * n, n) : (dz[l] + k * n, K * n)
                    }
                    if l == 0 && inputs.count == 1 {
                        // [dW_1; ...; dW_K] = scale * dZ^T X: the whole ensemble's first layer at once.
                        T.gemm(transA: true, transB: false, m: K * n, n: layer.fanIn, k: rows, alpha: alpha,
                               a: dz[0], lda: K * n, b: inputs[0], ldb: layer.fanIn,
                               beta: 1, c: g + layout.stackedWeights(layer: 0), ldc: layer.fanIn)
                    } else {
                        for k in 0..<K {
                            let (d, ld) = dzOf(k)
                            let (previous, ldPrev): (UnsafePointer<T>, Int) = l == 0
                                ? (inputs[k], layer.fanIn) : (UnsafePointer(a[l - 1] + k * layer.fanIn), K * layer.fanIn)
                            // dW = scale * dz^T a_prev   (fanOut x fanIn)
                            T.gemm(transA: true, transB: false, m: n, n: layer.fanIn, k: rows, alpha: alpha,
                                   a: d, lda: ld, b: previous, ldb: ldPrev,
                                   beta: 1, c: g + layout.weightOffset(layer: l, member: k), ldc: layer.fanIn)
                        }
                    }
                    // db = column sums of dz (the output layer: per net).
                    if l == last {
                        for k in 0..<K {
                            T.columnSums(dz[l] + k * rows * n, rows: rows, cols: n, into: g + layout.biasOffset(layer: l, member: k))
                        }
                    } else {
                        T.columnSums(dz[l], rows: rows, cols: K * n, into: g + layout.stackedBiases(layer: l))
                    }
                    guard l > 0 else { break }
                    // da_prev = scale * dz W  (rows x fanIn per net, side by side), then through the activation.
                    for k in 0..<K {
                        let (d, ld) = dzOf(k)
                        T.gemm(transA: false, transB: false, m: rows, n: layer.fanIn, k: n, alpha: alpha,
                               a: d, lda: ld, b: p + layout.weightOffset(layer: l, member: k), ldb: layer.fanIn,
                               beta: 0, c: dA + k * layer.fanIn, ldc: K * layer.fanIn)
                    }
                    activationBackward(dA, z: z[l - 1], a: a[l - 1], into: dz[l - 1], count: rows * K * layer.fanIn)
                }
            }
        }
    }

    private func activate(_ zp: UnsafeMutablePointer<T>, into ap: UnsafeMutablePointer<T>, count: Int) {
        switch architecture.activation {
        case .relu:
            T.relu(zp, into: ap, count: count)
        case .tanh:
            for i in 0..<count { ap[i] = T(Foundation.tanh(zp[i].double)) }
        }
    }

    private func activationBackward(_ da: UnsafeMutablePointer<T>, z zp: UnsafeMutablePointer<T>,
                                    a ap: UnsafeMutablePointer<T>, into out: UnsafeMutablePointer<T>, count: Int) {
        switch architecture.activation {
        case .relu:
            T.reluBackward(da, z: zp, into: out, count: count)
        case .tanh:
            for i in 0..<count { let t = ap[i]; out[i] = da[i] * (1 - t * t) }
        }
    }
}
