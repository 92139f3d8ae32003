import FramesCore
import FrameStore
import PostgresClient

/// What a `/frames` request with display options reads: the range's frames, the rows around them a
/// dynamic window reaches, and the dataset's histogram for static normalization.
///
/// `limit` caps the frames of the range only when no `height` is given; with `height` every frame
/// of the range is read, since the bins already bound the answer. Reads without a limit take the
/// frame packs kept at ingest.
struct DisplayRead {
    var dataset: DatasetInfo
    /// Sorted by depth: the frames of the range, with context rows around them for dynamic windows.
    var rows: [StoredFrame]
    /// The range's frames within `rows`.
    var targets: Range<Int>
    var datasetHistogram: PixelHistogram?

    /// nil when there is no such dataset.
    static func perform(_ query: FrameQuery, on reader: FrameReader) throws(PostgresError) -> DisplayRead? {
        let limit = query.display.height == nil ? query.limit : nil
        let range = query.range.lower...query.range.upper
        var read: DisplayRead
        if case .dynamic(let window) = query.display.normalization {
            // The range's frames decide which rows their windows reach: without a height the limit
            // may end them before the range's end, so they are found first.
            var span = range
            if let limit {
                guard let found = try reader.datasetFrames(dataset: query.dataset, span: range, limit: limit) else { return nil }
                guard let first = found.frames.first, let last = found.frames.last else {
                    return DisplayRead(dataset: found.dataset, rows: [], targets: 0..<0)
                }
                span = first.depth...last.depth
            }
            let context = HistogramEqualization.contextSpan(of: span, window: window)
            guard let found = try everyFrame(query.dataset, context, reader) else { return nil }
            let start = found.frames.firstIndex { $0.depth >= span.lowerBound } ?? found.frames.endIndex
            let end = found.frames[start...].firstIndex { $0.depth > span.upperBound } ?? found.frames.endIndex
            read = DisplayRead(dataset: found.dataset, rows: found.frames, targets: start..<end)
        } else {
            let found = if let limit {
                try reader.datasetFrames(dataset: query.dataset, span: range, limit: limit)
            } else {
                try everyFrame(query.dataset, range, reader)
            }
            guard let found else { return nil }
            read = DisplayRead(dataset: found.dataset, rows: found.frames, targets: found.frames.indices)
        }
        if query.display.normalization == .static {
            if let stored = try reader.datasetHistogram(dataset: read.dataset.name) {
                read.datasetHistogram = stored
            } else {
                read.datasetHistogram = try countedHistogram(of: read.dataset, on: reader)
            }
        }
        return read
    }

    private init(dataset: DatasetInfo, rows: [StoredFrame], targets: Range<Int>) {
        self.dataset = dataset
        self.rows = rows
        self.targets = targets
    }

    /// A dataset loaded before ingests kept histograms: every row is read and counted.
    private static func countedHistogram(of dataset: DatasetInfo, on reader: FrameReader) throws(PostgresError) -> PixelHistogram {
        let all = try everyFrame(dataset.name, -Double.infinity...Double.infinity, reader)
        return PixelHistogram(rows: (all?.frames ?? []).lazy.map(\.pixels))
    }

    /// Every frame of a span: from the packs kept at ingest, or row by row for a dataset without them.
    private static func everyFrame(_ dataset: String?, _ span: ClosedRange<Double>, _ reader: FrameReader)
        throws(PostgresError) -> (dataset: DatasetInfo, frames: [StoredFrame])? {
        guard let packed = try reader.packedFrames(dataset: dataset, span: span) else { return nil }
        if let frames = packed.frames { return (packed.dataset, frames) }
        return try reader.datasetFrames(dataset: packed.dataset.name, span: span, limit: nil)
    }
}
