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
    @Flag(help: "One JSON object per line instead of a table.")
    var json = false

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
            print("784-h-10 MLP, P = \(samples), batch \(batch), Adam, cross-entropy, Float32, 1 thread; "
                  + "median of \(epochs) epochs after \(warmup) warm-up")
            print("     h   overparam ms/epoch   GEMM floor ms/epoch   ratio   peak RSS MB")
        }
        for h in hs {
            let ours = median(trainerEpochs(h: h, data: data))
            let floor = median(gemmFloorEpochs(h: h))
            let rss = peakRSSMegabytes()
            if json {
                print(#"{"impl": "overparam", "h": \#(h), "median_ms": \#(ours * 1e3), "epochs_timed": \#(epochs), "peak_rss_mb": \#(rss)}"#)
                print(#"{"impl": "gemm-floor", "h": \#(h), "median_ms": \#(floor * 1e3), "epochs_timed": \#(epochs)}"#)
            } else {
                print(String(format: "%6d   %18.1f   %19.1f   %5.2f   %11.0f", h, ours * 1e3, floor * 1e3, ours / floor, rss))
            }
        }
    }

    func trainerEpochs(h: Int, data: DataSplit<Float>) -> [Double] {
        let arch = MLPArchitecture(inputs: 784, depth: 1, width: h, outputs: 10)
        let config = TrainingConfig(loss: .crossEntropy, optimizer: .adam(beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0),
                                    learningRate: 1e-3, batchSize: batch, maxEpochs: warmup + epochs)
        var a = RandomStream(seed: 1, ["bench-init", "\(h)"]), b = RandomStream(seed: 1, ["bench-batches", "\(h)"])
        let outcome = MLPTraining.train(architecture: arch, config: config, data: data, initStream: &a, batchStream: &b)
        return Array(outcome.epochSeconds.dropFirst(warmup))
    }

    /// The step's five sgemms (forward: X W1^T, A1 W2^T; backward: dW2, dA1, dW1; no
    /// input gradient), steps-per-epoch times, on buffers of the same shapes.
    func gemmFloorEpochs(h: Int) -> [Double] {
        let d = 784, c = 10, bsz = batch
        func buffer(_ n: Int) -> [Float] { (0..<n).map { Float(($0 % 13) - 6) * 1e-3 } }
        let x = buffer(bsz * d), w1 = buffer(h * d), w2 = buffer(c * h), a1 = buffer(bsz * h), dz2 = buffer(bsz * c)
        var z1 = [Float](repeating: 0, count: bsz * h), z2 = [Float](repeating: 0, count: bsz * c)
        var dw1 = [Float](repeating: 0, count: h * d), dw2 = [Float](repeating: 0, count: c * h)
        var da1 = [Float](repeating: 0, count: bsz * h)
        let steps = (samples + bsz - 1) / bsz
        var times: [Double] = []
        for epoch in 0..<(warmup + epochs) {
            let start = Date()
            for _ in 0..<steps {
                Float.gemm(transA: false, transB: true, m: bsz, n: h, k: d, alpha: 1, a: x, lda: d, b: w1, ldb: d, beta: 1, c: &z1, ldc: h)
                Float.gemm(transA: false, transB: true, m: bsz, n: c, k: h, alpha: 1, a: a1, lda: h, b: w2, ldb: h, beta: 1, c: &z2, ldc: c)
                Float.gemm(transA: true, transB: false, m: c, n: h, k: bsz, alpha: 1, a: dz2, lda: c, b: a1, ldb: h, beta: 0, c: &dw2, ldc: h)
                Float.gemm(transA: false, transB: false, m: bsz, n: h, k: c, alpha: 1, a: dz2, lda: c, b: w2, ldb: h, beta: 0, c: &da1, ldc: h)
                Float.gemm(transA: true, transB: false, m: h, n: d, k: bsz, alpha: 1, a: a1, lda: h, b: x, ldb: d, beta: 0, c: &dw1, ldc: d)
            }
            if epoch >= warmup { times.append(Date().timeIntervalSince(start)) }
        }
        return times
    }
}

func median(_ xs: [Double]) -> Double {
    let s = xs.sorted()
    guard !s.isEmpty else { return .nan }
    return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}

