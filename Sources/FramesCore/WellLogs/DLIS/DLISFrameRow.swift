/// One FDATA record: a frame's values at one index step.
public struct DLISFrameRow: Equatable, Sendable {
    public var frame: DLISObjectName
    /// The frame number the file gives, counting from 1.
    public var number: Int
    /// The first value of the index channel, when the frame has one.
    public var index: Double?
    /// One entry per channel of the frame, in the frame's order (the index channel first).
    public var samples: [DLISSamples]
}
