import FramesCore
import PostgresClient

/// Loads one dataset in one transaction: binary COPY into a temporary table, then an upsert into
/// `frames` and removal of depths the new file no longer has. Readers see the old dataset until the
/// commit and the new one after it, never a mixture; on any error the transaction rolls back whole.
public final class FrameLoader {
    private let connection: PostgresConnection
    private let dataset: String

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
            // Two ingests of the same dataset queue up instead of interleaving their upserts.
            _ = try connection.query("SELECT pg_advisory_xact_lock(hashtext($1))", [dataset])
            try connection.execute("""
                CREATE TEMPORARY TABLE staged_frames (
                    depth double precision, pixel_min smallint, pixel_max smallint,
                    pixel_mean double precision, pixel_std double precision,
                    original_gz bytea, resized_gz bytea, resized bytea,
                    compression_ratio_original double precision, compression_ratio_resized double precision
                ) ON COMMIT DROP
                """)
            var widths = (original: 0, resized: 0)
            try connection.copyIn("COPY staged_frames FROM STDIN (FORMAT binary)") { copySink in
              try withoutActuallyEscaping(copySink) { sink in
                var writer = CopyBinaryWriter()
                func flush() throws {
                    let chunk = writer.takeBuffer()
                    try chunk.withUnsafeBytes { try sink($0) }
                }
                widths = try produce { frame in
                    Self.append(frame, to: &writer)
                    if writer.buffer.count >= 1 << 18 { try flush() }
                }
                writer.finish()
                try flush()
              }
            }
            let info = try publish(originalWidth: widths.original, resizedWidth: widths.resized, sourceFile: sourceFile)
            try connection.execute("COMMIT")
            return info
        } catch {
            try? connection.execute("ROLLBACK")
            throw error
        }
    }

    private static func append(_ frame: ProcessedFrame, to writer: inout CopyBinaryWriter) {
        writer.beginTuple(fieldCount: 10)
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
    }

    private func publish(originalWidth: Int, resizedWidth: Int, sourceFile: String) throws -> DatasetInfo {
        let summary = try connection.query("""
            INSERT INTO datasets (name, original_width, resized_width, depth_min, depth_max, frame_count,
                                  generation, source_file, ingested_at)
            SELECT $1, $2, $3, min(depth), max(depth), count(*), nextval('dataset_generation'), $4, now()
            FROM staged_frames
            HAVING count(*) > 0
            ON CONFLICT (name) DO UPDATE SET
                original_width = EXCLUDED.original_width, resized_width = EXCLUDED.resized_width,
                depth_min = EXCLUDED.depth_min, depth_max = EXCLUDED.depth_max,
                frame_count = EXCLUDED.frame_count, generation = EXCLUDED.generation,
                source_file = EXCLUDED.source_file, ingested_at = EXCLUDED.ingested_at
            RETURNING depth_min, depth_max, frame_count, generation
            """, [dataset, String(originalWidth), String(resizedWidth), sourceFile])
        guard summary.rowCount == 1 else {
            throw PostgresError.statement(sqlState: "22000", message: "no frames to load")
        }
        let generation = summary.string(0, 3) ?? "0"
        _ = try connection.query("""
            INSERT INTO frames (dataset, depth, pixel_min, pixel_max, pixel_mean, pixel_std, original_gz,
                                resized_gz, resized, compression_ratio_original, compression_ratio_resized,
                                generation)
            SELECT $1, depth, pixel_min, pixel_max, pixel_mean, pixel_std, original_gz,
                   resized_gz, resized, compression_ratio_original, compression_ratio_resized, $2::bigint
            FROM staged_frames
            ON CONFLICT (dataset, depth) DO UPDATE SET
                pixel_min = EXCLUDED.pixel_min, pixel_max = EXCLUDED.pixel_max,
                pixel_mean = EXCLUDED.pixel_mean, pixel_std = EXCLUDED.pixel_std,
                original_gz = EXCLUDED.original_gz, resized_gz = EXCLUDED.resized_gz,
                resized = EXCLUDED.resized,
                compression_ratio_original = EXCLUDED.compression_ratio_original,
                compression_ratio_resized = EXCLUDED.compression_ratio_resized,
                generation = EXCLUDED.generation
            """, [dataset, generation])
        _ = try connection.query("DELETE FROM frames WHERE dataset = $1 AND generation <> $2", [dataset, generation])
        return DatasetInfo(name: dataset, originalWidth: originalWidth, resizedWidth: resizedWidth,
                           depthMin: Double(summary.string(0, 0) ?? "") ?? 0,
                           depthMax: Double(summary.string(0, 1) ?? "") ?? 0,
                           frameCount: Int(summary.string(0, 2) ?? "") ?? 0,
                           generation: Int64(generation) ?? 0)
    }
}
