/// The values of one channel in one frame, in the channel's element order.
public enum DLISSamples: Equatable, Sendable {
    /// FSINGL, as written.
    case float([Float])
    /// Every other numeric code, exactly (every one of them fits a Double without rounding); of a
    /// validated value (FSING1, FDOUB1 …) the value, without its bounds.
    case double([Double])
    /// Text, names, times and complex numbers: read past, not kept.
    case notNumeric(count: Int)

    public var first: Double? {
        switch self {
        case .float(let values): values.first.map(Double.init)
        case .double(let values): values.first
        case .notNumeric: nil
        }
    }

    /// The values as Doubles (exact), or nil when they are not numbers.
    public var doubles: [Double]? {
        switch self {
        case .float(let values): values.map(Double.init)
        case .double(let values): values
        case .notNumeric: nil
        }
    }
}
