import Foundation
import Numerical

/// A fully connected network's forward and backward passes over flat buffers
/// (llm.c style): every layer is one gemm each way, with the bias add and the
/// activation fused into one pass over the layer's outputs.
///
/// Buffers for a batch of up to `capacity` rows are allocated once; a training
/// step allocates nothing. Not thread-safe: one network per training thread.
public final class MLPNetwork<T: BLASScalar> {
    public let architecture: MLPArchitecture
    public let capacity: Int
    /// All parameters, laid out as `architecture.layers` says.
    public var parameters: [T]
    /// dLoss/dparameters of the last `backward`, same layout.
    public var gradients: [T]

    // Per layer: pre-activations z_l and activations a_l (capacity x fanOut), and
    // the gradient w.r.t. z_l. The output layer's a_L is its z_L.
    private var z: [UnsafeMutablePointer<T>]
    private var a: [UnsafeMutablePointer<T>]
    private var dz: [UnsafeMutablePointer<T>]
    private var dA: UnsafeMutablePointer<T>   // scratch for dLoss/da_{l-1}
    private var input: UnsafePointer<T>?
    private var rows = 0

    public init(architecture: MLPArchitecture, capacity: Int) {
        precondition(capacity >= 1)
        self.architecture = architecture
        self.capacity = capacity
        parameters = [T](repeating: 0, count: architecture.parameterCount)
        gradients = [T](repeating: 0, count: architecture.parameterCount)
        z = architecture.layers.map { UnsafeMutablePointer<T>.allocate(capacity: capacity * $0.fanOut) }
        a = architecture.layers.map { UnsafeMutablePointer<T>.allocate(capacity: capacity * $0.fanOut) }
        dz = architecture.layers.map { UnsafeMutablePointer<T>.allocate(capacity: capacity * $0.fanOut) }
        let widest = architecture.layers.map(\.fanIn).max() ?? 1
        dA = UnsafeMutablePointer<T>.allocate(capacity: capacity * widest)
    }

    deinit {
        (z + a + dz).forEach { $0.deallocate() }
        dA.deallocate()
    }

    /// Draws the initial weights from `stream` (layer by layer, W row by row);
    /// biases start at zero.
    public func initialize(stream: inout RandomStream) {
        for (l, layer) in architecture.layers.enumerated() {
            let std = architecture.initialStd(layer: l)
            for i in 0..<(layer.fanIn * layer.fanOut) {
                parameters[layer.weightOffset + i] = T(std * stream.nextNormal())
            }
            for i in 0..<layer.fanOut { parameters[layer.biasOffset + i] = 0 }
        }
    }

    /// The network's outputs for the last `forward` (rows x C, row-major).
    public var outputs: UnsafeMutablePointer<T> { z[z.count - 1] }

    /// f(x) for `rows` inputs at `x` (rows x D). The pointer must stay valid until
    /// `backward` is done with it.
    public func forward(_ x: UnsafePointer<T>, rows: Int) {
        precondition(rows <= capacity, "batch of \(rows) exceeds capacity \(capacity)")
        input = x
        self.rows = rows
        let last = architecture.layers.count - 1
        parameters.withUnsafeBufferPointer { p in
            var previous = x
            for (l, layer) in architecture.layers.enumerated() {
                let out = z[l], n = layer.fanOut
                // z = scale * a W^T + b.
                T.gemm(transA: false, transB: true, m: rows, n: n, k: layer.fanIn,
                       alpha: T(layer.forwardScale), a: previous, lda: layer.fanIn,
                       b: p.baseAddress! + layer.weightOffset, ldb: layer.fanIn,
                       beta: 0, c: out, ldc: n)
                T.addBias(out, p.baseAddress! + layer.biasOffset, rows: rows, cols: n)
                if l < last {
                    activate(out, into: a[l], count: rows * n)
                    previous = UnsafePointer(a[l])
                }
            }
        }
    }

    /// Back-propagates `dOutputs` (rows x C, dLoss/df for the last forward) into
    /// `gradients`. The first layer's input gradient is never formed: nothing needs it.
    public func backward(_ dOutputs: UnsafePointer<T>) {
        let layers = architecture.layers
        let last = layers.count - 1
        dz[last].update(from: dOutputs, count: rows * layers[last].fanOut)
        parameters.withUnsafeBufferPointer { p in
            gradients.withUnsafeMutableBufferPointer { g in
                for l in stride(from: last, through: 0, by: -1) {
                    let layer = layers[l], n = layer.fanOut
                    let previous: UnsafePointer<T> = l == 0 ? input! : UnsafePointer(a[l - 1])
                    // dW = scale * dz^T a_prev   (fanOut x fanIn)
                    T.gemm(transA: true, transB: false, m: n, n: layer.fanIn, k: rows,
                           alpha: T(layer.forwardScale), a: dz[l], lda: n, b: previous, ldb: layer.fanIn,
                           beta: 0, c: g.baseAddress! + layer.weightOffset, ldc: layer.fanIn)
                    // db = column sums of dz
                    T.columnSums(dz[l], rows: rows, cols: n, into: g.baseAddress! + layer.biasOffset)
                    guard l > 0 else { break }
                    // da_prev = scale * dz W  (rows x fanIn), then through the activation.
                    T.gemm(transA: false, transB: false, m: rows, n: layer.fanIn, k: n,
                           alpha: T(layer.forwardScale), a: dz[l], lda: n,
                           b: p.baseAddress! + layer.weightOffset, ldb: layer.fanIn,
                           beta: 0, c: dA, ldc: layer.fanIn)
                    activationBackward(dA, z: z[l - 1], a: a[l - 1], into: dz[l - 1], count: rows * layer.fanIn)
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
