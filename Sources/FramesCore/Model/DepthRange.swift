/// A closed depth interval, validated: both ends finite, non-negative, lower ≤ upper.
public struct DepthRange: Sendable, Equatable, Hashable {
    public let lower: Double
    public let upper: Double

    public enum Invalid: Error, Equatable {
        case notFinite
        case negative
        case reversed
    }

    public init(lower: Double, upper: Double) throws(Invalid) {
        guard lower.isFinite, upper.isFinite else { throw .notFinite }
        guard lower >= 0, upper >= 0 else { throw .negative }
        guard lower <= upper else { throw .reversed }
        self.lower = lower
        self.upper = upper
    }
}
