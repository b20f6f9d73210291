import Numerical

/// Percentile bootstrap, with a random stream keyed by what is resampled, so an
/// interval is the same in every run.
public enum Bootstrap {
    public static let resamples = 1000

    /// 95 % interval of the mean of `values`; nil for fewer than two values.
    public static func meanInterval(_ values: [Double], key: String) -> (low: Double, high: Double)? {
        guard values.count >= 2 else { return nil }
        var stream = RandomStream(seed: 0, ["bootstrap-mean", key])
        var means: [Double] = []
        means.reserveCapacity(resamples)
        for _ in 0..<resamples {
            var s = 0.0
            for _ in values.indices { s += values[stream.nextInt(below: values.count)] }
            means.append(s / Double(values.count))
        }
        return percentiles(means)
    }

    /// The 2.5th and 97.5th percentiles.
    static func percentiles(_ xs: [Double]) -> (low: Double, high: Double) {
        let s = xs.sorted()
        func at(_ q: Double) -> Double { s[min(s.count - 1, max(0, Int((q * Double(s.count - 1)).rounded())))] }
        return (at(0.025), at(0.975))
    }
}
