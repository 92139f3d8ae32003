import FramesCore
import PostgresClient

/// The query side: datasets and depth ranges, through statements prepared once per connection and
/// binary results (no text parsing of floats or bytea on the hot path).
public final class FrameReader {
    let connection: PostgresConnection

    static let frameColumns = """
        depth, pixel_min, pixel_max, pixel_mean, pixel_std, compression_ratio_original,
        compression_ratio_resized, resized
        """

    /// The dataset named by $1, or the only one when $1 is null (nothing when there are several).
    private static let namedOrOnly = "coalesce($1, (SELECT min(name) FROM datasets HAVING count(*) = 1))"

    public init(connection: PostgresConnection) throws(PostgresError) {
        self.connection = connection
        try connection.prepare(name: "datasets", sql: """
            SELECT name, original_width, resized_width, depth_min, depth_max, frame_count, generation
            FROM datasets ORDER BY name
            """)
        // One dataset's row: enough to answer If-None-Match.
        try connection.prepare(name: "dataset", sql: """
            SELECT name, original_width, resized_width, depth_min, depth_max, frame_count, generation
            FROM datasets WHERE name = \(Self.namedOrOnly)
            """)
        // A stream needs the dataset row before the frames. A plain Append runs its branches in order;
        // a Parallel Append would not, and a range read gains nothing from parallel workers anyway.
        try connection.execute("SET max_parallel_workers_per_gather = 0")
        // The dataset and its frames in one round trip: first
        // one row with the dataset's columns, then the frames with theirs, in the primary key's order.
        // Repeating the dataset's columns on every frame row would cost the server a quarter more.
        try connection.prepare(name: "dataset_frames", sql: """
            WITH chosen AS (SELECT \(Self.namedOrOnly) AS name)
            (SELECT d.name, d.original_width, d.resized_width, d.depth_min, d.depth_max, d.frame_count,
                    d.generation, NULL::float8, NULL::smallint, NULL::smallint, NULL::float8, NULL::float8,
                    NULL::float8, NULL::float8, NULL::bytea
             FROM datasets d WHERE d.name = (SELECT name FROM chosen))
            UNION ALL
            (SELECT NULL, NULL, NULL, NULL, NULL, NULL, NULL, \(Self.frameColumns)
             FROM frames WHERE dataset = (SELECT name FROM chosen)
               AND depth BETWEEN $2::float8 AND $3::float8
             ORDER BY depth LIMIT $4::integer)
            """)
        // The dataset, whether it has packs, then the packs that hold frames of the span: from the last
        // one starting at or before its start (packs do not overlap) to the last starting in it.
        try connection.prepare(name: "dataset_packs", sql: """
            WITH chosen AS (SELECT \(Self.namedOrOnly) AS name)
            (SELECT d.name, d.original_width, d.resized_width, d.depth_min, d.depth_max, d.frame_count,
                    d.generation, EXISTS (SELECT FROM frame_blocks WHERE dataset = d.name), NULL::bytea
             FROM datasets d WHERE d.name = (SELECT name FROM chosen))
            UNION ALL
            (SELECT NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, frames FROM frame_blocks
             WHERE dataset = (SELECT name FROM chosen) AND depth_first <= $3::float8
               AND depth_first >= coalesce((SELECT max(depth_first) FROM frame_blocks
                                            WHERE dataset = (SELECT name FROM chosen) AND depth_first <= $2::float8),
                                           '-Infinity')
             ORDER BY depth_first)
            """)
        try connection.prepare(name: "dataset_histogram", sql: "SELECT resized FROM dataset_histograms WHERE dataset = $1")
        // What range statistics merge: the dataset row, the stored histograms of the blocks the range
        // covers, then the original rows of the range outside those blocks (all of them when the
        // dataset has no blocks). Blocks tile the frames in depth order, so the covered ones are
        // contiguous and the rows left are the range's two ends.
        try connection.prepare(name: "range_histograms", sql: """
            WITH chosen AS (SELECT \(Self.namedOrOnly) AS name),
            covered AS (SELECT depth_first, depth_last, frame_count, original FROM block_histograms
                        WHERE dataset = (SELECT name FROM chosen)
                          AND depth_first >= $2::float8 AND depth_last <= $3::float8),
            span AS (SELECT min(depth_first) AS low, max(depth_last) AS high FROM covered)
            (SELECT d.name, d.original_width, d.resized_width, d.depth_min, d.depth_max, d.frame_count,
                    d.generation, NULL::integer, NULL::bytea
             FROM datasets d WHERE d.name = (SELECT name FROM chosen))
            UNION ALL
            (SELECT NULL, NULL, NULL, NULL, NULL, NULL, NULL, frame_count, original FROM covered)
            UNION ALL
            (SELECT NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, f.original_gz FROM frames f, span
             WHERE f.dataset = (SELECT name FROM chosen) AND f.depth BETWEEN $2::float8 AND $3::float8
               AND (span.low IS NULL OR f.depth < span.low OR f.depth > span.high))
            """)
    }

    /// One round trip that proves the connection still works.
    public func ping() throws(PostgresError) {
        try connection.execute("SELECT 1")
    }

    public func datasets() throws(PostgresError) -> [DatasetInfo] {
        let result = try connection.executePrepared("datasets", [], binary: true)
        return (0..<result.rowCount).map { Self.dataset(result, $0) }
    }

    /// The small lookup before any frame is read: the dataset named (or the only one), nil if none.
    public func dataset(named name: String?) throws(PostgresError) -> DatasetInfo? {
        let result = try connection.executePrepared("dataset", [name], binary: true)
        return result.rowCount == 1 ? Self.dataset(result, 0) : nil
    }

    private static func dataset(_ result: PostgresResult, _ row: Int) -> DatasetInfo {
        DatasetInfo(name: String(decoding: result.bytes(row, 0), as: UTF8.self),
                    originalWidth: result.integer(row, 1), resizedWidth: result.integer(row, 2),
                    depthMin: result.double(row, 3), depthMax: result.double(row, 4),
                    frameCount: result.integer(row, 5), generation: Int64(result.integer(row, 6)))
    }

    /// A dataset and all frames of the range at once (JSON and PNG bodies are built whole, with a
    /// Content-Length); nil when the dataset does not exist, or when none was named and there is not
    /// exactly one: `datasets()` then tells which.
    public func datasetFrames(dataset: String?, range: DepthRange, limit: Int) throws(PostgresError)
        -> (dataset: DatasetInfo, frames: [StoredFrame])? {
        try datasetFrames(dataset: dataset, span: range.lower...range.upper, limit: limit)
    }

    /// The same for any span of depths (a dynamic window's context reaches past the requested range,
    /// below zero too); `limit` nil reads every frame of the span.
    public func datasetFrames(dataset: String?, span: ClosedRange<Double>, limit: Int?) throws(PostgresError)
        -> (dataset: DatasetInfo, frames: [StoredFrame])? {
        let result = try connection.executePrepared("dataset_frames", parameters(dataset, span, limit), binary: true)
        // The dataset row has a name, the frame rows do not.
        guard let datasetRow = (0..<result.rowCount).first(where: { !result.isNull($0, 0) }) else { return nil }
        let frames = (0..<result.rowCount).filter { $0 != datasetRow }.map { Self.frame(result, $0, from: 7) }
        return (Self.dataset(result, datasetRow), frames)
    }

    /// Every frame of a span, read from the packs of 64 frames kept at ingest (`FramePack`): the same
    /// frames as `datasetFrames` without a limit, for a fraction of the server's work. nil when there
    /// is no such dataset; `frames` nil when the dataset has no packs (loaded before they were kept).
    public func packedFrames(dataset: String?, span: ClosedRange<Double>) throws(PostgresError)
        -> (dataset: DatasetInfo, frames: [StoredFrame]?)? {
        let result = try connection.executePrepared("dataset_packs", Array(parameters(dataset, span, nil).prefix(3)),
                                                    binary: true)
        guard let datasetRow = (0..<result.rowCount).first(where: { !result.isNull($0, 0) }) else { return nil }
        let info = Self.dataset(result, datasetRow)
        guard result.bytes(datasetRow, 7).first == 1 else { return (info, nil) }
        var frames: [StoredFrame] = []
        frames.reserveCapacity(min(info.frameCount, 1 << 20))
        for row in 0..<result.rowCount where row != datasetRow {
            guard FramePack.unpack(result.bytes(row, 8), width: info.resizedWidth, span: span, into: &frames) else {
                throw .unexpectedResult("a frame pack of \(info.name) is not a whole number of frames")
            }
        }
        return (info, frames)
    }

    /// Starts the same statement as `datasetFrames`, row by row, so memory stays flat for any range:
    /// returns the dataset (its row comes first), after which `nextFrame` hands out the frames until
    /// it returns nil. Returns nil when there is no such dataset; the statement has then ended.
    public func streamDatasetFrames(dataset: String?, range: DepthRange, limit: Int) throws(PostgresError)
        -> DatasetInfo? {
        try connection.streamPrepared("dataset_frames", parameters(dataset, range.lower...range.upper, limit),
                                      binary: true)
        guard let first = try connection.nextRow() else { return nil }
        return Self.dataset(first, 0)
    }

    /// The next frame of the statement `streamDatasetFrames` started, or nil when it has ended.
    public func nextFrame() throws(PostgresError) -> StoredFrame? {
        guard let row = try connection.nextRow() else { return nil }
        return Self.frame(row, 0, from: 7)
    }

    /// The histogram of every resized pixel of a dataset, stored at ingest; nil for a dataset loaded
    /// before ingests kept it.
    public func datasetHistogram(dataset: String) throws(PostgresError) -> PixelHistogram? {
        let result = try connection.executePrepared("dataset_histogram", [dataset], binary: true)
        guard result.rowCount == 1 else { return nil }
        return try Self.histogram(result.bytes(0, 0))
    }

    /// What the original pixels of a span's frames add up from: stored block histograms and the
    /// gzip-compressed original rows not in those blocks. nil when there is no such dataset.
    public func rangeHistograms(dataset: String?, span: ClosedRange<Double>) throws(PostgresError) -> RangeHistograms? {
        let result = try connection.executePrepared("range_histograms", Array(parameters(dataset, span, nil).prefix(3)),
                                                 binary: true)
        guard let datasetRow = (0..<result.rowCount).first(where: { !result.isNull($0, 0) }) else { return nil }
        var sources = RangeHistograms(dataset: Self.dataset(result, datasetRow))
        for row in 0..<result.rowCount where row != datasetRow {
            if result.isNull(row, 7) {
                sources.compressedRows.append([UInt8](result.bytes(row, 8)))
            } else {
                sources.blockFrames += result.integer(row, 7)
                sources.blocks.merge(try Self.histogram(result.bytes(row, 8)))
            }
        }
        return sources
    }

    private static func histogram(_ bytes: UnsafeRawBufferPointer) throws(PostgresError) -> PixelHistogram {
        do {
            return try PixelHistogram(decoding: [UInt8](bytes))
        } catch {
            throw .unexpectedResult("a stored histogram does not decode: \(error)")
        }
    }

    private func parameters(_ dataset: String?, _ span: ClosedRange<Double>, _ limit: Int?) -> [String?] {
        [dataset, Self.text(span.lowerBound), Self.text(span.upperBound), limit.map(String.init)]
    }

    /// A depth as its shortest round-tripping text, so the server parses exactly the same value (and
    /// infinities as PostgreSQL spells them).
    static func text(_ value: Double) -> String {
        value.isInfinite ? (value < 0 ? "-Infinity" : "Infinity") : "\(value)"
    }

    /// The frame whose eight columns start at `first` (0 for `frames`, after the dataset's for
    /// `dataset_frames`).
    static func frame(_ result: PostgresResult, _ row: Int, from first: Int = 0) -> StoredFrame {
        let pixels = result.bytes(row, first + 7)
        return StoredFrame(depth: result.double(row, first),
                           statistics: RowStatistics(min: UInt8(clamping: result.integer(row, first + 1)),
                                                     max: UInt8(clamping: result.integer(row, first + 2)),
                                                     mean: result.double(row, first + 3),
                                                     std: result.double(row, first + 4)),
                           compressionRatioOriginal: result.double(row, first + 5),
                           compressionRatioResized: result.double(row, first + 6),
                           pixels: [UInt8](pixels.bindMemory(to: UInt8.self)))
    }
}
