import FramesCore
import PostgresClient

/// The query side: datasets and depth ranges, through statements prepared once per connection and
/// binary results (no text parsing of floats or bytea on the hot path).
public final class FrameReader {
    public let connection: PostgresConnection

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
        try connection.prepare(name: "frames", sql: """
            SELECT \(Self.frameColumns) FROM frames
            WHERE dataset = $1 AND depth BETWEEN $2::float8 AND $3::float8
            ORDER BY depth LIMIT $4::integer
            """)
        // The frames with their dataset's columns (named, or the only one when $1 is null) in one
        // round trip, in the primary key's order.
        try connection.prepare(name: "dataset_frames", sql: """
            SELECT d.name, d.original_width, d.resized_width, d.depth_min, d.depth_max, d.frame_count,
                   d.generation, \(Self.frameColumns)
            FROM frames f JOIN datasets d ON d.name = f.dataset
            WHERE f.dataset = coalesce($1, (SELECT min(name) FROM datasets HAVING count(*) = 1))
              AND f.depth BETWEEN $2::float8 AND $3::float8
            ORDER BY f.depth LIMIT $4::integer
            """)
    }

    public func datasets() throws(PostgresError) -> [DatasetInfo] {
        let result = try connection.executePrepared("datasets", [], binary: true)
        return (0..<result.rowCount).map { Self.dataset(result, $0) }
    }

    private static func dataset(_ result: PostgresResult, _ row: Int) -> DatasetInfo {
        DatasetInfo(name: String(decoding: result.bytes(row, 0), as: UTF8.self),
                    originalWidth: result.integer(row, 1), resizedWidth: result.integer(row, 2),
                    depthMin: result.double(row, 3), depthMax: result.double(row, 4),
                    frameCount: result.integer(row, 5), generation: Int64(result.integer(row, 6)))
    }

    /// A dataset and all frames of the range at once (JSON and PNG bodies are built whole, with a
    /// Content-Length); nil when no frame matched — an empty range, an unknown dataset, or no name
    /// while there is not exactly one dataset: `datasets()` then tells which.
    public func datasetFrames(dataset: String?, range: DepthRange, limit: Int) throws(PostgresError)
        -> (dataset: DatasetInfo, frames: [StoredFrame])? {
        let result = try connection.executePrepared("dataset_frames", parameters(dataset, range, limit), binary: true)
        guard result.rowCount > 0 else { return nil }
        return (Self.dataset(result, 0), (0..<result.rowCount).map { Self.frame(result, $0, from: 7) })
    }

    /// Frames one at a time as the server sends them, so memory stays flat for any range.
    public func streamFrames(dataset: String, range: DepthRange, limit: Int,
                             _ each: (StoredFrame) throws -> Void) throws {
        try connection.streamPrepared("frames", parameters(dataset, range, limit), binary: true)
        while let result = try connection.nextRow() {
            try each(Self.frame(result, 0))
        }
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
