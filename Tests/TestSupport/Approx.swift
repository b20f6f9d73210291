/// Relative-or-absolute closeness for floating-point checks in tests.
public func isClose(_ a: Double, _ b: Double, rel: Double = 1e-9, abs: Double = 1e-12) -> Bool {
    if a == b { return true }
    return Swift.abs(a - b) <= max(abs, rel * max(Swift.abs(a), Swift.abs(b)))
}

/// The largest absolute element-wise difference of two equal-length sequences.
public func maxAbsDifference<S: Sequence, U: Sequence>(_ a: S, _ b: U) -> Double
where S.Element: BinaryFloatingPoint, U.Element: BinaryFloatingPoint {
    var worst = 0.0
    var ia = a.makeIterator(), ib = b.makeIterator()
    while let x = ia.next(), let y = ib.next() { worst = max(worst, Swift.abs(Double(x) - Double(y))) }
    return worst
}
