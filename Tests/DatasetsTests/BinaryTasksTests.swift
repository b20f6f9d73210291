import Datasets
import Numerical
import Testing

@Suite struct BinaryTasksTests {
    @Test func parityOfTenClasses() {
        let split = SplitFixtures.classification(trainLabels: Array(0..<10), testLabels: Array((0..<10).reversed()),
                                                 classes: 10)
        let parity = BinaryTasks.parity(split)
        // DataSplit accepts one output column with two classes.
        #expect(parity.classes == 2 && parity.outputDimension == 1 && parity.inputDimension == 3)
        #expect(parity.train.labels == [1, 0, 1, 0, 1, 0, 1, 0, 1, 0])
        #expect(parity.train.targets == Matrix(rows: 10, cols: 1, storage: [1, -1, 1, -1, 1, -1, 1, -1, 1, -1]))
        #expect(parity.test.labels == [0, 1, 0, 1, 0, 1, 0, 1, 0, 1])
        #expect(parity.test.targets.storage == [-1, 1, -1, 1, -1, 1, -1, 1, -1, 1])
        #expect(parity.train.inputs == split.train.inputs && parity.test.inputs == split.test.inputs)
        // The convention: label 1 <-> target +1.
        for ex in [parity.train, parity.test] {
            #expect(zip(ex.labels!, ex.targets.storage).allSatisfy { $0 == 1 ? $1 == 1 : $0 == 0 && $1 == -1 })
        }
    }

    /// Label noise goes first; parity then follows the corrupted labels.
    @Test func parityAfterLabelCorruption() {
        let split = SplitFixtures.classification(trainLabels: SplitFixtures.cyclicLabels(50, classes: 10),
                                                 testLabels: [4, 7], classes: 10)
        var s = RandomStream(seed: 9, ["parity"])
        let (noisy, _) = Corruption.corruptLabels(split, probability: 0.5, mode: .flip, stream: &s)
        let parity = BinaryTasks.parity(noisy)
        #expect(parity.train.labels == noisy.train.labels!.map { $0 % 2 == 0 ? 1 : 0 })
        #expect(parity.test.labels == [1, 0])
    }

    @Test func floatParity() {
        let split = SplitFixtures.classification(trainLabels: [3, 8], testLabels: [5], classes: 10)
            .converted(to: Float.self)
        let parity = BinaryTasks.parity(split)
        #expect(parity.train.targets.storage == [-1, 1] && parity.test.targets.storage == [-1])
    }
}
