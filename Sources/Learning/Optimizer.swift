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

    /// One update of `w` with gradient `g` at learning rate `lr`.
    public mutating func update(_ w: inout [T], gradient g: [T], learningRate lr: Double) {
        step += 1
        let n = w.count
        switch kind {
        case .sgd(let momentum, let weightDecay):
            let mu = T(momentum), wd = T(weightDecay), rate = T(lr)
            w.withUnsafeMutableBufferPointer { wp in
                g.withUnsafeBufferPointer { gp in
                    first.withUnsafeMutableBufferPointer { vp in
                        if momentum == 0 {
                            for i in 0..<n { wp[i] -= rate * (gp[i] + wd * wp[i]) }
                        } else {
                            for i in 0..<n {
                                let v = mu * vp[i] + gp[i] + wd * wp[i]
                                vp[i] = v
                                wp[i] -= rate * v
                            }
                        }
                    }
                }
            }
        case .adam(let beta1, let beta2, let epsilon, let weightDecay):
            // PyTorch's form: w -= (lr / bc1) * m / (sqrt(v) / sqrt(bc2) + eps).
            let bc1 = 1 - pow(beta1, Double(step)), bc2 = 1 - pow(beta2, Double(step))
            let b1 = T(beta1), b2 = T(beta2), c1 = T(1 - beta1), c2 = T(1 - beta2)
            let stepSize = T(lr / bc1), invSqrtBC2 = T(1 / bc2.squareRoot()), eps = T(epsilon), wd = T(weightDecay)
            w.withUnsafeMutableBufferPointer { wp in
                g.withUnsafeBufferPointer { gp in
                    first.withUnsafeMutableBufferPointer { mp in
                        second.withUnsafeMutableBufferPointer { vp in
                            for i in 0..<n {
                                let gi = weightDecay == 0 ? gp[i] : gp[i] + wd * wp[i]
                                let m = b1 * mp[i] + c1 * gi
                                let v = b2 * vp[i] + c2 * gi * gi
                                mp[i] = m
                                vp[i] = v
                                wp[i] -= stepSize * m / (v.squareRoot() * invSqrtBC2 + eps)
                            }
                        }
                    }
                }
            }
        }
    }
}

import Foundation
