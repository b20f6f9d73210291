/// The adaptive mode's rule: which widths to add to a group of cells (cells that
/// differ only in width) once every task of the group has a result.
///
/// It looks only at the results, never at timing or ranks, and adds widths only
/// when a group is complete, so the same sweep adds the same widths on any
/// number of ranks.
public enum WidthRefinement {
    public struct Cell: Sendable, Equatable {
        public let width: Int
        /// Seeds whose network fitted every training point.
        public let fitted: Int
        public let seeds: Int
        /// Mean test loss over seeds (test MSE for random features).
        public let testLoss: Double

        public init(width: Int, fitted: Int, seeds: Int, testLoss: Double) {
            self.width = width
            self.fitted = fitted
            self.seeds = seeds
            self.testLoss = testLoss
        }
    }

    /// The widths to add next (empty when the bracket cannot be narrowed).
    /// - jamming: halve (geometrically) the gap between the largest width where some
    ///   seed does not fit and the next width, from which all fit (N* lies between).
    /// - peak: halve the gaps on both sides of the width of largest mean test loss.
    public static func next(rule: String, cells: [Cell]) -> [Int] {
        let sorted = cells.sorted { $0.width < $1.width }
        switch rule {
        case "jamming":
            guard let i = sorted.lastIndex(where: { $0.fitted < $0.seeds }), i + 1 < sorted.count else { return [] }
            return midpoint(sorted[i].width, sorted[i + 1].width).map { [$0] } ?? []
        case "peak":
            guard let k = sorted.indices.max(by: { sorted[$0].testLoss < sorted[$1].testLoss }) else { return [] }
            var out: [Int] = []
            if k > 0, let m = midpoint(sorted[k - 1].width, sorted[k].width) { out.append(m) }
            if k + 1 < sorted.count, let m = midpoint(sorted[k].width, sorted[k + 1].width) { out.append(m) }
            return out
        default:
            return []
        }
    }

    /// The geometric midpoint rounded, if a width lies strictly between.
    static func midpoint(_ lo: Int, _ hi: Int) -> Int? {
        guard hi - lo >= 2 else { return nil }
        let m = Int((Double(lo) * Double(hi)).squareRoot().rounded())
        return min(hi - 1, max(lo + 1, m))
    }
}
