/// The rows `/frames` sends for a range once its display options apply: one per frame, or depth
/// bins (nil for an empty bin).
public enum DisplayedRows: Sendable, Equatable {
    case frames([StoredFrame])
    case bins([DepthBin?])

    /// The rows that hold data: every frame, or the bins that are not empty.
    public var filled: [StoredFrame] {
        switch self {
        case .frames(let frames): frames
        case .bins(let bins): bins.compactMap { $0?.frame }
        }
    }

    /// Rows in an image of them, empty bins included.
    public var imageHeight: Int {
        switch self {
        case .frames(let frames): frames.count
        case .bins(let bins): bins.count
        }
    }
}

/// A range as `/frames` shows it, in the order: percentiles of the stored pixels for a
/// stretch, then histogram equalization, then depth binning (the colormap comes last, from
/// `valueWindow`).
public struct DisplayedRange: Sendable {
    public var rows: DisplayedRows
    /// `vmin`/`vmax` from a percentile stretch; nil ends keep the query's own.
    public var valueWindow: (vmin: Double?, vmax: Double?)

    /// - Parameters:
    ///   - rows: sorted by depth; for dynamic normalization they include the context rows the windows
    ///     of `targets` reach (`HistogramEqualization.contextSpan`).
    ///   - targets: the frames of the requested range within `rows`.
    ///   - binning: the bins for the range when `height` was given; they apply only when the range
    ///     holds more frames than bins.
    ///   - datasetHistogram: every resized pixel of the dataset, needed for static normalization.
    public init(options: DisplayOptions, rows: [StoredFrame], targets: Range<Int>, binning: DepthBinning?,
                originalWidth: Int, datasetHistogram: PixelHistogram?) {
        let frames = Array(rows[targets])
        valueWindow = options.stretch.isEmpty
            ? (nil, nil) : options.stretch.valueWindow(of: PixelHistogram(rows: frames.lazy.map(\.pixels)))
        let normalized: [StoredFrame]
        switch options.normalization {
        case nil:
            normalized = frames
        case .static:
            precondition(datasetHistogram != nil, "static normalization needs the dataset's histogram")
            normalized = HistogramEqualization.equalized(frames, datasetHistogram: datasetHistogram!)
        case .dynamic(let window):
            normalized = HistogramEqualization.equalized(rows, targets: targets, window: window)
        }
        if let binning, DepthBinning.isNeeded(frameCount: normalized.count, height: binning.height) {
            self.rows = .bins(binning.bins(of: normalized, originalWidth: originalWidth))
        } else {
            self.rows = .frames(normalized)
        }
    }
}
