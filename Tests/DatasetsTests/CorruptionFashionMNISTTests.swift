import Datasets
import Foundation
import Numerical
import Testing

/// The corruptions on a real subset of Debian's Fashion-MNIST (skipped when absent).
@Suite struct CorruptionFashionMNISTTests {
    static let directory = DatasetLocation.defaultFashionMNIST
    static let installed = FileManager.default.fileExists(atPath: directory)

    @Test(.enabled(if: installed, "\(directory) is absent: install dataset-fashion-mnist (scripts/install-deps.sh)"))
    func corruptionsOnFashionMNIST() throws {
        let (train, test) = try IDXDirectory.cached(directory: Self.directory)
        var s = RandomStream(seed: 2017, ["zhang", "subset"])
        let split = try DataSplit<Double>.imageSubset(train: train, test: test, trainCount: 2_000, testCount: 500,
                                                      stream: &s)

        // Random labels: changed fraction 0.9 ± sqrt(0.09 / 2000) = 0.0067; tolerance 5 of those.
        var labelStream = RandomStream(seed: 2017, ["zhang", "labels"])
        let (random, mask) = Corruption.corruptLabels(split, probability: 1, mode: .uniform, stream: &labelStream)
        let changed = Double(mask.filter { $0 }.count) / 2_000
        #expect(abs(changed - 0.9) < 0.034, "changed fraction \(changed)")
        #expect(random.test == split.test)

        // Balanced classes: about half the images have an even class (± 5 * sqrt(0.25 / 2000)).
        let parity = BinaryTasks.parity(split)
        let even = Double(parity.train.labels!.reduce(0, +)) / 2_000
        #expect(abs(even - 0.5) < 0.056, "even fraction \(even)")

        // Shuffled pixels keep every image's values, moved by one permutation.
        var pixelStream = RandomStream(seed: 2017, ["zhang", "pixels"])
        let shuffled = InputCorruption.shuffledPixels.apply(to: split, stream: &pixelStream)
        var reference = RandomStream(seed: 2017, ["zhang", "pixels"])
        let perm = reference.permutation(784)
        #expect(shuffled.test.inputs == split.test.inputs.transposed().gatherRows(perm).transposed())

        // Gaussian inputs carry the pixels' overall mean (about 0.29; the std is about 0.35, so the
        // mean of 1.6 million draws is within 0.0003 of it, and 0.01 leaves a wide margin).
        let pixels = split.train.inputs.storage
        let mean = pixels.reduce(0, +) / Double(pixels.count)
        let gaussian = InputCorruption.gaussian.apply(to: split, stream: &pixelStream)
        let gaussianMean = gaussian.train.inputs.storage.reduce(0, +) / Double(pixels.count)
        #expect(mean > 0.2 && mean < 0.4 && abs(gaussianMean - mean) < 0.01, "\(gaussianMean) vs \(mean)")
    }
}
