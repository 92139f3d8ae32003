/// One row of a binned log: the frames whose depths fall in `[top, bottom)` (the last bin also
/// takes `bottom`) merged into one frame.
///
/// `frame.depth` is the bin's centre, `(top + bottom) / 2`; `frame.pixels` the per-column mean of
/// the frames' resized pixels rounded half up; `frame.statistics` those of all their original
/// pixels together (`PooledRowStatistics`); each compression ratio the mean of the frames' ratios.
public struct DepthBin: Sendable, Equatable {
    public var top: Double
    public var bottom: Double
    /// How many frames the bin averages, at least 1.
    public var frameCount: Int
    public var frame: StoredFrame

    public init(top: Double, bottom: Double, frameCount: Int, frame: StoredFrame) {
        self.top = top
        self.bottom = bottom
        self.frameCount = frameCount
        self.frame = frame
    }
}
