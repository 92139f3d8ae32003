import FramesCore
import PostgresClient

/// Loads one dataset in one transaction, with a binary COPY. A new dataset is copied straight into
/// `frames`; a dataset that exists is copied into a temporary table, then upserted into `frames`, and
/// the depths the new file no longer has are removed. Readers see the old dataset until the commit
/// and the new one after it, never a mixture; on any error the transaction rolls back whole.
public final class FrameLoader {
    private let connection: PostgresConnection
    private let dataset: String

    private static let columns = """
        dataset, depth, pixel_min, pixel_max, pixel_mean, pixel_std, original_gz, resized_gz, resized,
        compression_ratio_original, compression_ratio_resized, generation
        """

    public init(connection: PostgresConnection, dataset: String) {
        self.connection = connection
        self.dataset = dataset
    }

    /// Runs `produce`, which hands frames to `append` and returns the widths it read and wrote;
    /// commits when it returns, rolls back if it throws. Returns the dataset record as committed.
    public func load(sourceFile: String,
                     produce: (_ append: (ProcessedFrame) throws -> Void) throws -> (original: Int, resized: Int)) throws -> DatasetInfo {
        try connection.execute("BEGIN")
        do {
            // Two ingests of the same dataset queue up instead of interleaving their writes.
            _ = try connection.query("SELECT pg_advisory_xact_lock(hashtext($1))", [dataset])
            let exists = try connection.query("SELECT 1 FROM datasets WHERE name = $1", [dataset]).rowCount == 1
            guard let generation = try connection.query("SELECT nextval('dataset_generation')").string(0, 0).flatMap(Int64.init)
            else { throw PostgresError.statement(sqlState: "XX000", message: "no generation from the sequence") }
            let target: String
            if exists {
                try connection.execute("CREATE TEMPORARY TABLE staged_frames (LIKE frames) ON COMMIT DROP")
                target = "staged_frames"
            } else {
                // A placeholder the frames' foreign key needs; `publish` fills it in before the commit.
                _ = try connection.query("""
                    INSERT INTO datasets (name, original_width, resized_width, depth_min, depth_max, frame_count,
                                          generation)
                    VALUES ($1, 1, 1, 0, 0, 0, $2)
                    """, [dataset, String(generation)])
                target = "frames"
            }
            var widths = (original: 0, resized: 0)
            try connection.copyIn("COPY \(target) (\(Self.columns)) FROM STDIN (FORMAT binary)") { copySink in
                try withoutActuallyEscaping(copySink) { sink in
                    var writer = CopyBinaryWriter()
                    func flush() throws {
                        let chunk = writer.takeBuffer()
                        try chunk.withUnsafeBytes { try sink($0) }
                    }
                    let name = Array(dataset.utf8)
                    widths = try produce { frame in
                        Self.append(frame, dataset: name, generation: generation, to: &writer)
                        if writer.buffer.count >= 1 << 18 { try flush() }
                    }
                    writer.finish()
                    try flush()
                }
            }
            if exists { try upsertStagedFrames(generation: generation) }
            let info = try publish(originalWidth: widths.original, resizedWidth: widths.resized,
                                   sourceFile: sourceFile, generation: generation)
            try connection.execute("COMMIT")
            return info
        } catch {
            try? connection.execute("ROLLBACK")
            throw error
        }
    }

    private static func append(_ frame: ProcessedFrame, dataset: [UInt8], generation: Int64,
                               to writer: inout CopyBinaryWriter) {
        writer.beginTuple(fieldCount: 12)
        writer.appendBytea(dataset)
        writer.appendFloat8(frame.depth)
        writer.appendInt2(Int16(frame.statistics.min))
        writer.appendInt2(Int16(frame.statistics.max))
        writer.appendFloat8(frame.statistics.mean)
        writer.appendFloat8(frame.statistics.std)
        writer.appendBytea(frame.originalCompressed)
        writer.appendBytea(frame.resizedCompressed)
        writer.appendBytea(frame.resized)
        writer.appendFloat8(frame.compressionRatioOriginal)
        writer.appendFloat8(frame.compressionRatioResized)
        writer.appendInt8(generation)
    }

    /// Replaces the dataset's rows with the staged ones: an upsert, then removal of the rows this ingest
    /// did not write (the depths the new file no longer has), found by their older generation.
    private func upsertStagedFrames(generation: Int64) throws {
        _ = try connection.query("""
            INSERT INTO frames (\(Self.columns)) SELECT \(Self.columns) FROM staged_frames
            ON CONFLICT (dataset, depth) DO UPDATE SET
                pixel_min = EXCLUDED.pixel_min, pixel_max = EXCLUDED.pixel_max,
                pixel_mean = EXCLUDED.pixel_mean, pixel_std = EXCLUDED.pixel_std,
                original_gz = EXCLUDED.original_gz, resized_gz = EXCLUDED.resized_gz,
                resized = EXCLUDED.resized,
                compression_ratio_original = EXCLUDED.compression_ratio_original,
                compression_ratio_resized = EXCLUDED.compression_ratio_resized,
                generation = EXCLUDED.generation
            """)
        _ = try connection.query("DELETE FROM frames WHERE dataset = $1 AND generation <> $2",
                                 [dataset, String(generation)])
    }

    /// The dataset record as the frames now are, with this ingest's generation.
    private func publish(originalWidth: Int, resizedWidth: Int, sourceFile: String, generation: Int64) throws -> DatasetInfo {
        let summary = try connection.query("""
            UPDATE datasets SET original_width = $2, resized_width = $3, depth_min = f.low, depth_max = f.high,
                frame_count = f.count, generation = $4, source_file = $5, ingested_at = now()
            FROM (SELECT min(depth) AS low, max(depth) AS high, count(*) AS count FROM frames WHERE dataset = $1) f
            WHERE name = $1 AND f.count > 0
            RETURNING depth_min, depth_max, frame_count
            """, [dataset, String(originalWidth), String(resizedWidth), String(generation), sourceFile])
        guard summary.rowCount == 1 else {
            throw PostgresError.statement(sqlState: "22000", message: "no frames to load")
        }
        return DatasetInfo(name: dataset, originalWidth: originalWidth, resizedWidth: resizedWidth,
                           depthMin: Double(summary.string(0, 0) ?? "") ?? 0,
                           depthMax: Double(summary.string(0, 1) ?? "") ?? 0,
                           frameCount: Int(summary.string(0, 2) ?? "") ?? 0, generation: generation)
    }
}
