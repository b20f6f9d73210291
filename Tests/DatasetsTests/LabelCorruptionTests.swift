import Datasets
import Numerical
import Testing

@Suite struct LabelCorruptionTests {
    /// What must hold for any corruption: only training labels and targets change, the
    /// targets are the one-hot rows of the new labels, and `mask` marks exactly the
    /// changed labels.
    static func expectConsistent(_ original: DataSplit<Double>, _ corrupted: DataSplit<Double>, mask: [Bool],
                                 sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(corrupted.test == original.test, "test side untouched", sourceLocation: sourceLocation)
        #expect(corrupted.train.inputs == original.train.inputs, sourceLocation: sourceLocation)
        #expect(corrupted.classes == original.classes && corrupted.outputDimension == original.outputDimension,
                sourceLocation: sourceLocation)
        let old = original.train.labels!, new = corrupted.train.labels!
        #expect(new.allSatisfy { (0..<original.classes).contains($0) }, sourceLocation: sourceLocation)
        #expect(corrupted.train.targets == SplitFixtures.oneHot(new, classes: original.classes),
                sourceLocation: sourceLocation)
        #expect(mask == zip(old, new).map { $0 != $1 }, sourceLocation: sourceLocation)
    }

    /// The documented draw order, replayed: per example a uniform, then (if selected)
    /// the replacement. Returns the new labels and the selection.
    static func replay(_ labels: [Int], p: Double, mode: LabelNoiseMode, classes k: Int,
                       stream: inout RandomStream) -> (labels: [Int], selected: [Bool]) {
        var out = labels, selected = [Bool](repeating: false, count: labels.count)
        for (i, y) in labels.enumerated() where stream.nextUniform() < p {
            selected[i] = true
            switch mode {
            case .uniform: out[i] = stream.nextInt(below: k)
            case .flip:
                let r = stream.nextInt(below: k - 1)
                out[i] = r < y ? r : r + 1
            }
        }
        return (out, selected)
    }

    @Test(arguments: LabelNoiseMode.allCases)
    func reproducible(mode: LabelNoiseMode) {
        let split = SplitFixtures.classification(trainLabels: SplitFixtures.cyclicLabels(200, classes: 5),
                                                 testLabels: [0, 1, 2], classes: 5)
        var a = RandomStream(seed: 7, ["labels"]), b = RandomStream(seed: 7, ["labels"])
        var c = RandomStream(seed: 8, ["labels"])
        let ra = Corruption.corruptLabels(split, probability: 0.4, mode: mode, stream: &a)
        let rb = Corruption.corruptLabels(split, probability: 0.4, mode: mode, stream: &b)
        let rc = Corruption.corruptLabels(split, probability: 0.4, mode: mode, stream: &c)
        #expect(ra.split == rb.split && ra.mask == rb.mask)
        #expect(ra.split.train.labels != rc.split.train.labels, "another key, other labels")
        // Both streams end in the same state too.
        #expect(a.nextUInt64() == b.nextUInt64())
        Self.expectConsistent(split, ra.split, mask: ra.mask)
    }

    @Test(arguments: LabelNoiseMode.allCases)
    func drawOrder(mode: LabelNoiseMode) {
        let labels = SplitFixtures.cyclicLabels(60, classes: 4)
        let split = SplitFixtures.classification(trainLabels: labels, testLabels: [3], classes: 4)
        var s = RandomStream(seed: 3, ["order"]), r = RandomStream(seed: 3, ["order"])
        let result = Corruption.corruptLabels(split, probability: 0.5, mode: mode, stream: &s)
        let expected = Self.replay(labels, p: 0.5, mode: mode, classes: 4, stream: &r)
        #expect(result.split.train.labels == expected.labels)
        #expect(s.nextUInt64() == r.nextUInt64(), "no other draws")
        Self.expectConsistent(split, result.split, mask: result.mask)
    }

    /// p = 1, K = 10: each label is redrawn from all 10 classes, so it changes with
    /// probability 0.9. Over n = 10,000 the changed fraction has standard deviation
    /// sqrt(0.9 * 0.1 / n) = 0.003; the tolerance is 5 of those. Each class receives
    /// Binomial(n, 0.1) labels: 1,000 ± 30, tolerance 150.
    @Test func uniformRandomLabels() {
        let n = 10_000
        let split = SplitFixtures.classification(trainLabels: SplitFixtures.cyclicLabels(n, classes: 10),
                                                 testLabels: [0, 5, 9], classes: 10, inputDimension: 1)
        var s = RandomStream(seed: 1, ["random-labels"])
        let (corrupted, mask) = Corruption.corruptLabels(split, probability: 1, mode: .uniform, stream: &s)
        Self.expectConsistent(split, corrupted, mask: mask)
        let changed = Double(mask.filter { $0 }.count) / Double(n)
        #expect(abs(changed - 0.9) < 0.015, "changed fraction \(changed)")
        var counts = [Int](repeating: 0, count: 10)
        for y in corrupted.train.labels! { counts[y] += 1 }
        #expect(counts.allSatisfy { abs($0 - 1_000) < 150 }, "class counts \(counts)")
    }

    /// p = 0.3 with flip: the changed fraction is Binomial(n, 0.3) / n, standard
    /// deviation sqrt(0.3 * 0.7 / n) = 0.0046 for n = 10,000; tolerance 5 of those.
    @Test func flipChangesEverySelectedLabel() {
        let n = 10_000
        let labels = SplitFixtures.cyclicLabels(n, classes: 10)
        let split = SplitFixtures.classification(trainLabels: labels, testLabels: [1, 2], classes: 10,
                                                 inputDimension: 1)
        var s = RandomStream(seed: 2, ["flip"]), r = RandomStream(seed: 2, ["flip"])
        let (corrupted, mask) = Corruption.corruptLabels(split, probability: 0.3, mode: .flip, stream: &s)
        Self.expectConsistent(split, corrupted, mask: mask)
        let changed = Double(mask.filter { $0 }.count) / Double(n)
        #expect(abs(changed - 0.3) < 0.023, "changed fraction \(changed)")
        // The selected examples are exactly the changed ones: no selected label is kept.
        #expect(Self.replay(labels, p: 0.3, mode: .flip, classes: 10, stream: &r).selected == mask)
        // Replacements reach every other class: label 0 went to each of 1...9.
        let fromZero = Set(zip(labels, corrupted.train.labels!).filter { $0.0 == 0 && $0.1 != 0 }.map(\.1))
        #expect(fromZero == Set(1...9))
    }

    /// The uniform mode may redraw the true label: those examples are selected but
    /// not changed, and `mask` says false for them.
    @Test func uniformMaskExcludesUnchangedRedraws() {
        let labels = SplitFixtures.cyclicLabels(400, classes: 2)
        let split = SplitFixtures.classification(trainLabels: labels, testLabels: [0], classes: 2)
        var s = RandomStream(seed: 4, ["mask"]), r = RandomStream(seed: 4, ["mask"])
        let (corrupted, mask) = Corruption.corruptLabels(split, probability: 1, mode: .uniform, stream: &s)
        let selected = Self.replay(labels, p: 1, mode: .uniform, classes: 2, stream: &r).selected
        #expect(selected.allSatisfy { $0 })
        let kept = mask.filter { !$0 }.count
        #expect(kept > 100 && kept < 300, "about half of 400 redraw their own label with K = 2: \(kept)")
        Self.expectConsistent(split, corrupted, mask: mask)
    }

    @Test(arguments: LabelNoiseMode.allCases)
    func zeroProbabilityChangesNothing(mode: LabelNoiseMode) {
        let split = SplitFixtures.classification(trainLabels: SplitFixtures.cyclicLabels(500, classes: 3),
                                                 testLabels: [2, 1], classes: 3)
        var s = RandomStream(seed: 5, ["none"]), r = RandomStream(seed: 5, ["none"])
        let (corrupted, mask) = Corruption.corruptLabels(split, probability: 0, mode: mode, stream: &s)
        #expect(corrupted == split)
        #expect(mask == [Bool](repeating: false, count: 500))
        // Still exactly one uniform per example.
        for _ in 0..<500 { _ = r.nextUniform() }
        #expect(s.nextUInt64() == r.nextUInt64())
    }

    @Test func floatSplitMatchesDouble() {
        let split = SplitFixtures.classification(trainLabels: SplitFixtures.cyclicLabels(100, classes: 4),
                                                 testLabels: [0], classes: 4)
        var a = RandomStream(seed: 6, ["precision"]), b = RandomStream(seed: 6, ["precision"])
        let d = Corruption.corruptLabels(split, probability: 0.5, mode: .flip, stream: &a)
        let f = Corruption.corruptLabels(split.converted(to: Float.self), probability: 0.5, mode: .flip, stream: &b)
        #expect(f.split == d.split.converted(to: Float.self) && f.mask == d.mask)
    }

    @Test func modeNames() {
        #expect(LabelNoiseMode(rawValue: "uniform") == .uniform && LabelNoiseMode(rawValue: "flip") == .flip)
        #expect(LabelNoiseMode.allCases.count == 2)
    }
}
