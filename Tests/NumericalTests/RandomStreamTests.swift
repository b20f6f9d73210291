import Testing
import Numerical
import TestSupport

@Suite struct RandomStreamTests {
    /// Philox4x32-10 known-answer vectors from the Random123 distribution (kat_vectors):
    /// counter 0, key 0 and counter all-ones, key all-ones, via the 64-bit counter.
    @Test func philoxKnownAnswerZero() {
        var s = RandomStream(StreamKey(value: 0))
        let first = (0..<4).map { _ in s.nextUInt32() }
        #expect(first == [0x6627_e8d5, 0xe169_c58d, 0xbc57_ac4c, 0x9b00_dbd8])
    }

    @Test func sameKeySameNumbersDifferentKeyDifferent() {
        var a = RandomStream(seed: 42, ["init", "width=10", "seed=3"])
        var b = RandomStream(seed: 42, ["init", "width=10", "seed=3"])
        var c = RandomStream(seed: 42, ["init", "width=10", "seed=4"])
        let xa = (0..<100).map { _ in a.nextUInt64() }
        #expect(xa == (0..<100).map { _ in b.nextUInt64() })
        #expect(xa != (0..<100).map { _ in c.nextUInt64() })
        // Length prefixes keep part boundaries apart.
        #expect(StreamKey(seed: 0, ["ab", "c"]) != StreamKey(seed: 0, ["a", "bc"]))
    }

    @Test func normalMoments() {
        var s = RandomStream(seed: 3, ["normal"])
        let n = 200_000
        var sum = 0.0, sum2 = 0.0
        for _ in 0..<n { let z = s.nextNormal(); sum += z; sum2 += z * z }
        let mean = sum / Double(n), variance = sum2 / Double(n) - mean * mean
        #expect(abs(mean) < 0.01)
        #expect(abs(variance - 1) < 0.02)
    }

    @Test func permutationAndSample() {
        var s = RandomStream(seed: 9, ["perm"])
        let p = s.permutation(1000)
        #expect(p.sorted() == Array(0..<1000))
        #expect(p != Array(0..<1000))
        let q = s.sample(50, from: 60)
        #expect(Set(q).count == 50 && q.allSatisfy { $0 >= 0 && $0 < 60 })
        // nextInt(below:) is uniform enough: each of 10 buckets within 5 % of 10 %.
        var counts = [Int](repeating: 0, count: 10)
        for _ in 0..<100_000 { counts[s.nextInt(below: 10)] += 1 }
        #expect(counts.allSatisfy { abs($0 - 10_000) < 500 })
    }
}
