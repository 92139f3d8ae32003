import FramesCore
import PostgresClient

/// The query side: datasets and depth ranges, through statements prepared once per connection and
/// binary results (no text parsing of floats or bytea on the hot path).
public final class FrameReader {
    private let connection: PostgresConnection

    private static let frameColumns = """
        depth, pixel_min, pixel_max, pixel_mean, pixel_std, compression_ratio_original,
        compression_ratio_resized, resized
        """

    public init(connection: PostgresConnection) throws(PostgresError) {
        self.connection = connection
        try connection.prepare(name: "datasets", sql: """
            SELECT name, original_width, resized_width, depth_min, depth_max, frame_count, generation
            FROM datasets ORDER BY name
            """)
        // The named dataset, or the only one when $1 is null: enough to answer If-None-Match.
        try connection.prepare(name: "dataset", sql: """
            SELECT name, original_width, resized_width, depth_min, depth_max, frame_count, generation
            FROM datasets WHERE name = coalesce($1, (SELECT min(name) FROM datasets HAVING count(*) = 1))
            """)
        // A stream needs the dataset row before the frames. A plain Append runs its branches in order;
        // a Parallel Append would not, and a range read gains nothing from parallel workers anyway.
        try connection.execute("SET max_parallel_workers_per_gather = 0")
        // The dataset (named, or the only one when $1 is null) and its frames in one round trip: first
        // one row with the dataset's columns, then the frames with theirs, in the primary key's order.
        // Repeating the dataset's columns on every frame row would cost the server a quarter more.
        try connection.prepare(name: "dataset_frames", sql: """
            WITH chosen AS (SELECT coalesce($1, (SELECT min(name) FROM datasets HAVING count(*) = 1)) AS name)
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
        let result = try connection.executePrepared("dataset_frames", parameters(dataset, range, limit), binary: true)
        // The dataset row has a name, the frame rows do not.
        guard let datasetRow = (0..<result.rowCount).first(where: { !result.isNull($0, 0) }) else { return nil }
        let frames = (0..<result.rowCount).filter { $0 != datasetRow }.map { Self.frame(result, $0, from: 7) }
        return (Self.dataset(result, datasetRow), frames)
    }

    /// Starts the same statement as `datasetFrames`, row by row, so memory stays flat for any range:
    /// returns the dataset (its row comes first), after which `nextFrame` hands out the frames until
    /// it returns nil. Returns nil when there is no such dataset; the statement has then ended.
    public func streamDatasetFrames(dataset: String?, range: DepthRange, limit: Int) throws(PostgresError)
        -> DatasetInfo? {
        try connection.streamPrepared("dataset_frames", parameters(dataset, range, limit), binary: true)
        guard let first = try connection.nextRow() else { return nil }
        return Self.dataset(first, 0)
    }

    /// The next frame of the statement `streamDatasetFrames` started, or nil when it has ended.
    public func nextFrame() throws(PostgresError) -> StoredFrame? {
        guard let row = try connection.nextRow() else { return nil }
        return Self.frame(row, 0, from: 7)
    }

    private func parameters(_ dataset: String?, _ range: DepthRange, _ limit: Int) -> [String?] {
        // Doubles as their shortest round-tripping text, so the server parses exactly the same value.
        [dataset, "\(range.lower)", "\(range.upper)", String(limit)]
    }

    /// The frame whose eight columns start at `first` (0 for `frames`, after the dataset's for
    /// `dataset_frames`).
    private static func frame(_ result: PostgresResult, _ row: Int, from first: Int = 0) -> StoredFrame {
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
