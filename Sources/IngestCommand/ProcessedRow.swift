import FramesCore

/// What processing made of a parsed row: a frame to store, or a row the dataset already holds as it is.
enum ProcessedRow {
    case frame(ProcessedFrame)
    /// Its hash is the one stored at its depth: nothing is stored, its pixels only count towards the
    /// dataset's histograms.
    case unchanged(depth: Double, original: [UInt8], resized: [UInt8])
}
