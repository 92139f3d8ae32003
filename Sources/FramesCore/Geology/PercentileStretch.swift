/// `vmin=pX` / `vmax=pY`: the value window's ends as percentiles of the stored pixel values of
/// the frames in range (numpy's default linear method), instead of fixed numbers.
/// matplotlib's `Normalize` then applies to the resolved numbers, as it does to given ones.
public struct PercentileStretch: Sendable, Equatable {
    /// Percent, 0...100; nil keeps the default end (0 for vmin, 255 for vmax).
    public var low: Double?
    public var high: Double?

    public init(low: Double? = nil, high: Double? = nil) {
        self.low = low
        self.high = high
    }

    public var isEmpty: Bool { low == nil && high == nil }

    /// The numbers to pass to `Colormap.palette(vmin:vmax:)`; nil ends stay nil (the defaults), and
    /// both are nil for an empty range, which has no pixels to colour anyway.
    public func valueWindow(of histogram: PixelHistogram) -> (vmin: Double?, vmax: Double?) {
        (low.flatMap { histogram.percentile($0) }, high.flatMap { histogram.percentile($0) })
    }
}
