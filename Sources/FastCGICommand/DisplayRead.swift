import FramesCore
import FrameStore
import PostgresClient

/// What a `/frames` request with display options reads: the range's frames, the rows around them a
/// dynamic window reaches, and the dataset's histogram for static normalization.
///
/// `limit` caps the frames of the range only when no `height` is given; with `height` every frame
/// of the range is read, since the bins already bound the answer. Reads without a limit take the
/// cheapest way the source has (the frame packs kept at ingest, for the current generation).
struct DisplayRead {
    var dataset: DatasetInfo
    /// Sorted by depth: the frames of the range, with context rows around them for dynamic windows.
    var rows: [StoredFrame]
    /// The range's frames within `rows`.
    var targets: Range<Int>
    var datasetHistogram: PixelHistogram?

    /// nil when there is no such dataset.
    static func perform<Source: DisplaySource>(_ query: FrameQuery, from source: Source) throws(Source.Failure) -> DisplayRead? {
        let limit = query.display.height == nil ? query.limit : nil
        let range = query.range.lower...query.range.upper
        var read: DisplayRead
        if case .dynamic(let window) = query.display.normalization {
            // The range's frames decide which rows their windows reach: without a height the limit
            // may end them before the range's end, so they are found first.
            var span = range
            if let limit {
                guard let found = try source.frames(span: range, limit: limit) else { return nil }
                guard let first = found.frames.first, let last = found.frames.last else {
                    return DisplayRead(dataset: found.dataset, rows: [], targets: 0..<0)
                }
                span = first.depth...last.depth
            }
            let context = HistogramEqualization.contextSpan(of: span, window: window)
            guard let found = try source.everyFrame(span: context) else { return nil }
            let start = found.frames.firstIndex { $0.depth >= span.lowerBound } ?? found.frames.endIndex
            let end = found.frames[start...].firstIndex { $0.depth > span.upperBound } ?? found.frames.endIndex
            read = DisplayRead(dataset: found.dataset, rows: found.frames, targets: start..<end)
        } else {
            let found = if let limit {
                try source.frames(span: range, limit: limit)
            } else {
                try source.everyFrame(span: range)
            }
            guard let found else { return nil }
            read = DisplayRead(dataset: found.dataset, rows: found.frames, targets: found.frames.indices)
        }
        if query.display.normalization == .static {
            read.datasetHistogram = try source.resizedHistogram(of: read.dataset)
        }
        return read
    }

    private init(dataset: DatasetInfo, rows: [StoredFrame], targets: Range<Int>) {
        self.dataset = dataset
        self.rows = rows
        self.targets = targets
    }
}
