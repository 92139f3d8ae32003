/// The one rule for the order of `vmin` and `vmax`, as numbers (`/frames`, the colour bars) or as
/// percentiles (`vmin=pX`): a missing end is the default one, so `vmin=300` alone is as reversed as
/// `vmin=300&vmax=255`. matplotlib's `Normalize` refuses vmin > vmax but takes vmin == vmax
/// (everything gets the first colour), and so does this. The end given last in the pair is blamed:
/// `vmax` when it was given.
public struct ValueWindow: Sendable {
    public var defaultLow: Double
    public var defaultHigh: Double
    /// How an end is written in the message: `p` for percentiles.
    public var prefix: String

    /// Pixel values: the full byte range.
    public static let values = ValueWindow(defaultLow: 0, defaultHigh: 255, prefix: "")
    /// Percentiles of the range's pixels.
    public static let percentiles = ValueWindow(defaultLow: 0, defaultHigh: 100, prefix: "p")

    public func checkOrder(vmin: Double?, vmax: Double?) throws(RequestError) {
        let low = vmin ?? defaultLow
        let high = vmax ?? defaultHigh
        if low <= high { return }
        throw .badParameter(name: vmax != nil ? "vmax" : "vmin",
                            detail: "vmin (\(prefix)\(low)\(vmin == nil ? ", the default" : "")) must not "
                                + "exceed vmax (\(prefix)\(high)\(vmax == nil ? ", the default" : ""))")
    }
}
