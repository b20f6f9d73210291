import ArgumentParser
import Datasets
import Foundation
import Learning
import Numerical

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Speed measurements (see BENCHMARKS.md and scripts/bench_*.py).",
        subcommands: [MLPBench.self])
}

/// ms per epoch of the MLP trainer on the issue-5 workload, and the GEMM floor: the
/// same step's sgemms alone, on the same shapes, through cblas_sgemm.
struct MLPBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mlp",
        abstract: "784-h-10 ReLU MLP, P = 4000 Fashion-MNIST, batch 100, Adam, cross-entropy, Float32, one thread.")

    @Option(help: "Hidden widths, comma-separated.")
    var widths = "16,64,256,1024,4096"
    @Option(help: "Timed epochs per width (after warm-up).")
    var epochs = 5
    @Option(help: "Untimed warm-up epochs per width.")
    var warmup = 1
    @Option(help: "Training samples.")
    var samples = 4000
    @Option(help: "Minibatch size.")
    var batch = 100
    @Option(help: "Train K nets in lockstep on the same minibatches (one ensemble; 0: one net).")
    var ensemble = 0
    @Flag(help: "One JSON object per line instead of a table.")
    var json = false

    var members: Int { max(1, ensemble) }

    func run() throws {
        BLASRuntime.pinSingleThread()
        BLASRuntime.warmUp()
        let hs = widths.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        let (train, test) = try IDXDirectory.cached(directory: DatasetLocation.resolve(
            specValue: nil, flag: nil, environment: ProcessInfo.processInfo.environment))
        var stream = RandomStream(seed: 0, ["bench"])
        let data = try DataSplit<Float>.imageSubset(train: train, test: test, trainCount: samples, testCount: 100,
                                                     stream: &stream)
        if !json {
            print("784-h-10 MLP\(ensemble > 0 ? ", ensemble of K = \(ensemble)" : ""), P = \(samples), batch \(batch), "
                  + "Adam, cross-entropy, Float32, 1 thread; median of \(epochs) epochs after \(warmup) warm-up")
            print("     h   overparam ms/epoch   GEMM floor ms/epoch   ratio   peak RSS MB")
        }
        for h in hs {
            // One floor epoch after each trainer epoch: machine noise hits both alike.
            var floorTimes: [Double] = []
            let oursTimes = trainerEpochs(h: h, data: data) { epoch in
                let t = gemmFloorEpochs(h: h, count: 1)[0]
                if epoch > warmup { floorTimes.append(t) }
            }
            let ours = median(oursTimes), floor = median(floorTimes)
            let rss = peakRSSMegabytes()
            if json {
                print(#"{"impl": "overparam", "h": \#(h), "k": \#(ensemble), "median_ms": \#(ours * 1e3), "epochs_timed": \#(epochs), "peak_rss_mb": \#(rss)}"#)
                print(#"{"impl": "gemm-floor", "h": \#(h), "k": \#(ensemble), "median_ms": \#(floor * 1e3), "epochs_timed": \#(epochs)}"#)
            } else {
                print(String(format: "%6d   %18.1f   %19.1f   %5.2f   %11.0f", h, ours * 1e3, floor * 1e3, ours / floor, rss))
            }
        }
    }

    func trainerEpochs(h: Int, data: DataSplit<Float>, afterEpoch: @escaping (Int) -> Void) -> [Double] {
        let arch = MLPArchitecture(inputs: 784, depth: 1, width: h, outputs: 10)
        let config = TrainingConfig(loss: .crossEntropy, optimizer: .adam(beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0),
                                    learningRate: 1e-3, batchSize: batch, maxEpochs: warmup + epochs)
        var inits = (0..<members).map { RandomStream(seed: 1, ["bench-init", "\(h)", "\($0)"]) }
        var batches = [RandomStream(seed: 1, ["bench-batches", "\(h)"])]
        let outcomes = MLPTraining.train(architecture: arch, config: config, data: data,
                                         initStreams: &inits, batchStreams: &batches, afterEpoch: afterEpoch)
        return Array(outcomes[0].epochSeconds.dropFirst(warmup))
    }

    /// The step's sgemms alone, steps-per-epoch times, on buffers of the same shapes
    /// and layout as the trainer's: forward X W1^T and A1 W2^T, backward dW2, dA1 and
    /// dW1 (no input gradient). For an ensemble of K the first layer's two are one
    /// GEMM each for all K nets (n = K h), the second layer's are K small GEMMs on
    /// strided views of the side-by-side hidden activations.
    func gemmFloorEpochs(h: Int, count: Int) -> [Double] {
        let d = 784, c = 10, bsz = batch, K = members
        func buffer(_ n: Int) -> [Float] { (0..<n).map { Float(($0 % 13) - 6) * 1e-3 } }
        let x = buffer(bsz * d), w1 = buffer(K * h * d), w2 = buffer(K * c * h), a1 = buffer(bsz * K * h)
        let dz2 = buffer(K * bsz * c)
        var z1 = [Float](repeating: 0, count: bsz * K * h), z2 = [Float](repeating: 0, count: K * bsz * c)
        var dw1 = [Float](repeating: 0, count: K * h * d), dw2 = [Float](repeating: 0, count: K * c * h)
        var da1 = [Float](repeating: 0, count: bsz * K * h)
        let steps = (samples + bsz - 1) / bsz
        var times: [Double] = []
        for _ in 0..<count {
            let start = Date()
            for _ in 0..<steps {
                Float.gemm(transA: false, transB: true, m: bsz, n: K * h, k: d, alpha: 1, a: x, lda: d, b: w1, ldb: d,
                           beta: 0, c: &z1, ldc: K * h)
                a1.withUnsafeBufferPointer { a1p in
                    w2.withUnsafeBufferPointer { w2p in
                        dz2.withUnsafeBufferPointer { dzp in
                            z2.withUnsafeMutableBufferPointer { z2p in
                                dw2.withUnsafeMutableBufferPointer { dw2p in
                                    da1.withUnsafeMutableBufferPointer { da1p in
                                        for k in 0..<K {
                                            let a1k = a1p.baseAddress! + k * h, w2k = w2p.baseAddress! + k * c * h
                                            let dzk = dzp.baseAddress! + k * bsz * c
                                            Float.gemm(transA: false, transB: true, m: bsz, n: c, k: h, alpha: 1, a: a1k,
                                                       lda: K * h, b: w2k, ldb: h, beta: 0,
                                                       c: z2p.baseAddress! + k * bsz * c, ldc: c)
                                            Float.gemm(transA: true, transB: false, m: c, n: h, k: bsz, alpha: 1, a: dzk,
                                                       lda: c, b: a1k, ldb: K * h, beta: 0,
                                                       c: dw2p.baseAddress! + k * c * h, ldc: h)
                                            Float.gemm(transA: false, transB: false, m: bsz, n: h, k: c, alpha: 1, a: dzk,
                                                       lda: c, b: w2k, ldb: h, beta: 0,
                                                       c: da1p.baseAddress! + k * h, ldc: K * h)
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                Float.gemm(transA: true, transB: false, m: K * h, n: d, k: bsz, alpha: 1, a: a1, lda: K * h, b: x, ldb: d,
                           beta: 0, c: &dw1, ldc: d)
            }
            times.append(Date().timeIntervalSince(start))
        }
        return times
    }
}

func median(_ xs: [Double]) -> Double {
    let s = xs.sorted()
    guard !s.isEmpty else { return .nan }
    return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}

