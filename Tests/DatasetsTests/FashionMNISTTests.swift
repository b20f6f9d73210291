import Datasets
import Foundation
import Testing

/// The real files of Debian's `dataset-fashion-mnist`; one test, since decoding takes a moment.
@Suite struct FashionMNISTTests {
    static let directory = DatasetLocation.defaultFashionMNIST
    static let installed = FileManager.default.fileExists(atPath: directory)

    @Test(.enabled(if: installed, "\(directory) is absent: install dataset-fashion-mnist (scripts/install-deps.sh)"))
    func loadsDebianFiles() throws {
        let (train, test) = try IDXDirectory.load(directory: Self.directory)
        #expect(train.count == 60_000 && test.count == 10_000)
        #expect(train.sampleShape == [28, 28] && test.sampleShape == [28, 28])
        #expect(train.classes == 10 && test.classes == 10)
        #expect(train.pixels.count == 60_000 * 784 && test.labels.count == 10_000)
        // Balanced classes: 6,000 and 1,000 of each.
        var counts = [Int](repeating: 0, count: 10)
        for label in train.labels { counts[Int(label)] += 1 }
        #expect(counts == [Int](repeating: 6_000, count: 10))
    }
}
