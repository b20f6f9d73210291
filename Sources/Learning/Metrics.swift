import Numerical

/// Losses and errors of predictions against targets, accumulated in Double.
public enum Metrics {
    /// Mean over samples of the squared error summed over outputs:
    /// (1/n) sum_i ||f(x_i) - y_i||^2.
    @inlinable public static func meanSquaredError<T: BLASScalar>(_ f: Matrix<T>, _ y: Matrix<T>) -> Double {
        precondition(f.rows == y.rows && f.cols == y.cols, "prediction and target shapes differ")
        guard f.rows > 0 else { return 0 }
        var s = 0.0
        for i in 0..<f.storage.count {
            let d = f.storage[i].double - y.storage[i].double
            s += d * d
        }
        return s / Double(f.rows)
    }

    /// Index of the largest output per row (ties go to the first). A row holding NaN
    /// predicts class -1, so a diverged model is never counted as right.
    @inlinable public static func argmax<T: BLASScalar>(_ f: Matrix<T>) -> [Int] {
        (0..<f.rows).map { i in
            var best = 0
            for j in 0..<f.cols {
                if f[i, j].isNaN { return -1 }
                if f[i, j] > f[i, best] { best = j }
            }
            return best
        }
    }

    /// Fraction of rows whose prediction differs from the label: argmax for several
    /// outputs; for one output (binary tasks, targets +-1) label 1 when f > 0.
    @inlinable public static func classificationError<T: BLASScalar>(_ f: Matrix<T>, labels: [Int]) -> Double {
        precondition(f.rows == labels.count, "\(f.rows) predictions for \(labels.count) labels")
        guard !labels.isEmpty else { return 0 }
        let predicted = f.cols == 1 ? f.storage.map { $0.isNaN ? -1 : ($0 > 0 ? 1 : 0) } : argmax(f)
        let wrong = zip(predicted, labels).filter { $0 != $1 }.count
        return Double(wrong) / Double(labels.count)
    }

    /// True when any entry is NaN or infinite.
    @inlinable public static func hasNonFinite<T: BLASScalar>(_ m: Matrix<T>) -> Bool {
        m.storage.contains { !$0.isFinite }
    }
}
