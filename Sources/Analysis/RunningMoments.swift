/// Mean and variance of a stream of numbers (Welford's update), in Double.
/// The result depends on the order of the values: callers feed them in seed order.
public struct RunningMoments: Sendable, Equatable {
    public private(set) var count = 0
    public private(set) var mean = 0.0
    private var m2 = 0.0

    public init() {}

    public mutating func add(_ x: Double) {
        count += 1
        let delta = x - mean
        mean += delta / Double(count)
        m2 += delta * (x - mean)
    }

    /// Sample variance (n - 1 in the denominator); 0 for fewer than two values.
    public var variance: Double { count > 1 ? m2 / Double(count - 1) : 0 }
    public var standardDeviation: Double { variance.squareRoot() }
}
