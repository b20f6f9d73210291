/// One value of one training curve: metric `name` at `epoch`.
public struct CurvePoint: Sendable, Equatable {
    public var epoch: Int
    public var name: String
    /// NaN survives a round trip (stored as NULL).
    public var value: Double

    public init(epoch: Int, name: String, value: Double) {
        self.epoch = epoch
        self.name = name
        self.value = value
    }
}
