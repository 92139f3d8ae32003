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
    }

    public func datasets() throws(PostgresError) -> [DatasetInfo] {
        let result = try connection.executePrepared("datasets", [], binary: true)
        return (0..<result.rowCount).map { row in
            DatasetInfo(name: String(decoding: result.bytes(row, 0), as: UTF8.self),
                        originalWidth: result.integer(row, 1), resizedWidth: result.integer(row, 2),
                        depthMin: result.double(row, 3), depthMax: result.double(row, 4),
                        frameCount: result.integer(row, 5), generation: Int64(result.integer(row, 6)))
        }
    }

    /// All frames of the range at once (JSON and PNG bodies are built whole, with a Content-Length).
    public func frames(dataset: String, range: DepthRange, limit: Int) throws(PostgresError) -> [StoredFrame] {
        let result = try connection.executePrepared("frames", parameters(dataset, range, limit), binary: true)
        return (0..<result.rowCount).map { Self.frame(result, $0) }
    }

    /// Frames one at a time as the server sends them, so memory stays flat for any range.
    public func streamFrames(dataset: String, range: DepthRange, limit: Int,
                             _ each: (StoredFrame) throws -> Void) throws {
        try connection.streamPrepared("frames", parameters(dataset, range, limit), binary: true)
        while let result = try connection.nextRow() {
            try each(Self.frame(result, 0))
        }
    }

    private func parameters(_ dataset: String, _ range: DepthRange, _ limit: Int) -> [String?] {
        // Doubles as their shortest round-tripping text, so the server parses exactly the same value.
        [dataset, "\(range.lower)", "\(range.upper)", String(limit)]
    }

    private static func frame(_ result: PostgresResult, _ row: Int) -> StoredFrame {
        let pixels = result.bytes(row, 7)
        return StoredFrame(depth: result.double(row, 0),
                           statistics: RowStatistics(min: UInt8(clamping: result.integer(row, 1)),
                                                     max: UInt8(clamping: result.integer(row, 2)),
                                                     mean: result.double(row, 3), std: result.double(row, 4)),
                           compressionRatioOriginal: result.double(row, 5),
                           compressionRatioResized: result.double(row, 6),
                           pixels: [UInt8](pixels.bindMemory(to: UInt8.self)))
    }
}
