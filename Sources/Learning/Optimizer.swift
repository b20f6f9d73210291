import Numerical

/// Which update rule, with its hyper-parameters.
public enum OptimizerKind: Sendable, Equatable {
    /// w <- w - lr (v), v <- momentum v + g + wd w (PyTorch's SGD). Full-batch
    /// gradient descent is this with batch size = P and momentum 0.
    case sgd(momentum: Double, weightDecay: Double)
    /// Adam (Kingma & Ba) with L2 weight decay added to the gradient, as PyTorch's Adam.
    case adam(beta1: Double, beta2: Double, epsilon: Double, weightDecay: Double)
}

/// An optimizer's state over one flat parameter buffer.
public struct Optimizer<T: BLASScalar> {
    public let kind: OptimizerKind
    private var first: [T]
    private var second: [T]
    public private(set) var step = 0

    public init(kind: OptimizerKind, parameterCount: Int) {
        self.kind = kind
        first = [T](repeating: 0, count: parameterCount)
        if case .adam = kind { second = [T](repeating: 0, count: parameterCount) } else { second = [] }
    }

    /// Rewrites the moments with `transform` (the same one applied to the parameters),
    /// e.g. when an ensemble drops the nets that stopped.
    public mutating func remap(_ transform: ([T]) -> [T]) {
        first = transform(first)
        if !second.isEmpty { second = transform(second) }
    }

    /// One update of `w` with gradient `g` at learning rate `lr` (the elementwise
    /// loop runs in C, vectorized: see `BLASScalar.adamUpdate`). Consumes the
    /// gradient: `g` is zero afterwards, ready for the next backward pass to add onto.
    public mutating func update(_ w: inout [T], gradient g: inout [T], learningRate lr: Double) {
        step += 1
        let n = w.count
        switch kind {
        case .sgd(let momentum, let weightDecay):
            w.withUnsafeMutableBufferPointer { wp in
                g.withUnsafeMutableBufferPointer { gp in
                    first.withUnsafeMutableBufferPointer { vp in
                        T.sgdUpdate(w: wp.baseAddress!, g: gp.baseAddress!, velocity: vp.baseAddress!, n: n,
                                    learningRate: T(lr), momentum: T(momentum), weightDecay: T(weightDecay))
                    }
                }
            }
        case .adam(let beta1, let beta2, let epsilon, let weightDecay):
            let bc1 = 1 - pow(beta1, Double(step)), bc2 = 1 - pow(beta2, Double(step))
            w.withUnsafeMutableBufferPointer { wp in
                g.withUnsafeMutableBufferPointer { gp in
                    first.withUnsafeMutableBufferPointer { mp in
                        second.withUnsafeMutableBufferPointer { vp in
                            T.adamUpdate(w: wp.baseAddress!, g: gp.baseAddress!, m: mp.baseAddress!, v: vp.baseAddress!,
                                         n: n, beta1: T(beta1), beta2: T(beta2), stepSize: T(lr / bc1),
                                         invSqrtBC2: T(1 / bc2.squareRoot()), epsilon: T(epsilon),
                                         weightDecay: T(weightDecay))
                        }
                    }
                }
            }
        }
    }
}

import Foundation
