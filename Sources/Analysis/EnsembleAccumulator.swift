import Numerical

/// Streaming statistics of one cell's test-set outputs over its seeds.
///
/// Fed one network's outputs at a time, in seed order, it keeps per test output a
/// running mean f̄ and sum of squared deviations (Welford), so memory is one test
/// set's worth whatever the number of seeds, and the numbers depend only on the
/// seed order, never on which rank finished first. Shape letters: M test points,
/// C outputs, K members so far.
public struct EnsembleAccumulator: Sendable {
    public let rows: Int
    public let cols: Int
    /// Whether outputs are classifications (argmax for C > 1, sign for C = 1).
    public let classification: Bool
    public private(set) var count = 0
    private var mean: [Double]
    private var m2: [Double]
    /// Test error (or MSE for regression) of each member, in seed order: K scalars.
    public private(set) var memberErrors: [Double] = []
    /// Level k averages consecutive groups of 2^(k+1) members (members 1-2, 3-4, ...;
    /// 1-4, 5-8, ...): the running sum of the group being filled, and the errors of
    /// the completed groups' averages. Memory: log2(K) test sets.
    private var groupSums: [[Double]]
    public private(set) var groupErrors: [[Double]]

    /// - Parameter members: the most members the cell will have (sizes the levels).
    public init(rows: Int, cols: Int, classification: Bool, members: Int) {
        self.rows = rows
        self.cols = cols
        self.classification = classification
        mean = [Double](repeating: 0, count: rows * cols)
        m2 = [Double](repeating: 0, count: rows * cols)
        var levels = 0
        while 2 << levels <= members { levels += 1 }
        groupSums = [[Double]](repeating: [Double](repeating: 0, count: rows * cols), count: levels)
        groupErrors = [[Double]](repeating: [], count: levels)
    }

    /// Folds in the next member's outputs f (M x C, row-major) against `targets`.
    public mutating func add(_ f: [Double], targets: [Double]) {
        precondition(f.count == rows * cols && targets.count == rows * cols, "outputs do not match the cell's shape")
        count += 1
        let k = Double(count)
        for i in 0..<f.count {
            let delta = f[i] - mean[i]
            mean[i] += delta / k
            m2[i] += delta * (f[i] - mean[i])
        }
        memberErrors.append(error(f, targets))
        for level in groupSums.indices {
            for i in 0..<f.count { groupSums[level][i] += f[i] }
            let size = 2 << level
            if count % size == 0 {
                let average = groupSums[level].map { $0 / Double(size) }
                groupErrors[level].append(error(average, targets))
                for i in 0..<f.count { groupSums[level][i] = 0 }
            }
        }
    }

    /// f̄: the ensemble-averaged outputs.
    public var ensembleMean: [Double] { mean }

    /// Mean over members and test points of ||f_i(x) - f̄(x)||^2 (with f̄ the mean of
    /// these K members): the fluctuations of Geiger et al.
    public var fluctuation: Double {
        count > 0 ? m2.reduce(0, +) / Double(count * rows) : 0
    }

    /// Test error (MSE for regression) of one prediction matrix.
    public func error(_ f: [Double], _ y: [Double]) -> Double {
        guard rows > 0 else { return 0 }
        guard classification else {
            var s = 0.0
            for i in 0..<f.count { let d = f[i] - y[i]; s += d * d }
            return s / Double(rows)
        }
        var wrong = 0
        for r in 0..<rows {
            if cols == 1 {
                if f[r].isNaN || (f[r] > 0) != (y[r] > 0) { wrong += 1 }
            } else {
                let fr = f[(r * cols)..<((r + 1) * cols)], yr = y[(r * cols)..<((r + 1) * cols)]
                if fr.contains(where: \.isNaN) || fr.indices.max(by: { fr[$0] < fr[$1] }) != yr.indices.max(by: { yr[$0] < yr[$1] }) {
                    wrong += 1
                }
            }
        }
        return Double(wrong) / Double(rows)
    }

    /// Errors of ensembles of 1, 2, 4, ... members: (size, mean error over the
    /// complete groups of that size, groups).
    public var errorBySize: [(size: Int, error: Double, groups: Int)] {
        var out: [(Int, Double, Int)] = []
        if !memberErrors.isEmpty { out.append((1, memberErrors.reduce(0, +) / Double(memberErrors.count), memberErrors.count)) }
        for (level, errors) in groupErrors.enumerated() where !errors.isEmpty {
            out.append((2 << level, errors.reduce(0, +) / Double(errors.count), errors.count))
        }
        return out
    }
}
