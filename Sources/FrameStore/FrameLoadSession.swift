import FramesCore
import PostgresClient

/// Loads one dataset in one transaction: `begin`, `append` each frame, then `commit` or `rollback`.
///
/// Frames travel by binary COPY. A new dataset is copied straight into `frames`; a dataset that exists
/// is copied into a temporary table, then upserted into `frames`, and the depths the new file no longer
/// has are removed. Readers see the old dataset until the commit and the new one after it, never a
/// mixture; until `commit` returns, nothing is visible and `rollback` leaves the database as it was.
public final class FrameLoadSession {
    private let connection: PostgresConnection
    private let dataset: String
    private let datasetBytes: [UInt8]
    private let generation: Int64
    private let replacesExisting: Bool
    private var writer = CopyBinaryWriter()
    private var histograms = IngestHistograms()
    private var finished = false

    private static let columns = """
        dataset, depth, pixel_min, pixel_max, pixel_mean, pixel_std, original_gz, resized_gz, resized,
        compression_ratio_original, compression_ratio_resized, generation
        """
    /// Bytes buffered before they go to the server: large enough to keep libpq's calls few.
    private static let flushThreshold = 1 << 18

    private init(connection: PostgresConnection, dataset: String, generation: Int64, replacesExisting: Bool) {
        self.connection = connection
        self.dataset = dataset
        datasetBytes = Array(dataset.utf8)
        self.generation = generation
        self.replacesExisting = replacesExisting
    }

    /// Opens the transaction, takes the dataset's ingest lock, draws the new generation and starts the COPY.
    public static func begin(on connection: PostgresConnection, dataset: String) throws(PostgresError) -> FrameLoadSession {
        try connection.execute("BEGIN")
        do throws(PostgresError) {
            // Two ingests of the same dataset queue up instead of interleaving their writes.
            _ = try connection.query("SELECT pg_advisory_xact_lock(hashtext($1))", [dataset])
            let exists = try connection.query("SELECT 1 FROM datasets WHERE name = $1", [dataset]).rowCount == 1
            guard let generation = try connection.query("SELECT nextval('dataset_generation')").string(0, 0).flatMap(Int64.init)
            else { throw .unexpectedResult("nextval('dataset_generation') returned no value") }
            let target: String
            if exists {
                try connection.execute("CREATE TEMPORARY TABLE staged_frames (LIKE frames) ON COMMIT DROP")
                target = "staged_frames"
            } else {
                // A placeholder the frames' foreign key needs; `commit` fills it in.
                _ = try connection.query("""
                    INSERT INTO datasets (name, original_width, resized_width, depth_min, depth_max, frame_count,
                                          generation)
                    VALUES ($1, 1, 1, 0, 0, 0, $2)
                    """, [dataset, String(generation)])
                target = "frames"
            }
            try connection.beginCopyIn("COPY \(target) (\(columns)) FROM STDIN (FORMAT binary)")
            return FrameLoadSession(connection: connection, dataset: dataset, generation: generation,
                                    replacesExisting: exists)
        } catch {
            try? connection.execute("ROLLBACK")
            throw error
        }
    }

    public func append(_ frame: ProcessedFrame) throws(PostgresError) {
        writer.beginTuple(fieldCount: 12)
        writer.appendBytea(datasetBytes)
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
        histograms.add(depth: frame.depth, original: frame.originalHistogram, resized: frame.resized)
        if writer.buffer.count >= Self.flushThreshold { try flush() }
    }

    /// Ends the COPY, publishes the dataset record and commits. Returns the dataset as committed.
    public func commit(sourceFile: String, originalWidth: Int, resizedWidth: Int) throws(PostgresError) -> DatasetInfo {
        do throws(PostgresError) {
            writer.finish()
            try flush()
            try connection.endCopyIn()
            if replacesExisting { try upsertStagedFrames() }
            try replaceHistograms()
            try replaceFramePacks()
            let info = try publish(originalWidth: originalWidth, resizedWidth: resizedWidth, sourceFile: sourceFile)
            try connection.execute("COMMIT")
            finished = true
            return info
        } catch {
            rollback()
            throw error
        }
    }

    /// Abandons everything appended; the database stays as it was. Safe to call more than once.
    public func rollback() {
        guard !finished else { return }
        finished = true
        // Inside a COPY the server takes nothing else until the copy ends, so end it first.
        try? connection.endCopyIn(abortReason: "ingest abandoned")
        try? connection.execute("ROLLBACK")
    }

    private func flush() throws(PostgresError) {
        let chunk = writer.takeBuffer()
        // `withUnsafeBytes` rethrows untyped errors: the typed one travels out in a Result.
        try chunk.withUnsafeBytes { bytes in Result { () throws(PostgresError) in try connection.putCopyData(bytes) } }.get()
    }

    /// Replaces the dataset's rows with the staged ones: an upsert, then removal of the rows this ingest
    /// did not write (the depths the new file no longer has), found by their older generation.
    private func upsertStagedFrames() throws(PostgresError) {
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

    /// The dataset's histograms as this ingest counted them, replacing any older ones, in one statement.
    /// The blocks travel as arrays (depths as shortest round-tripping text, histograms as hex).
    private func replaceHistograms() throws(PostgresError) {
        let blocks = histograms.blocks
        func array(_ items: [String]) -> String { "{" + items.joined(separator: ",") + "}" }
        _ = try connection.query("""
            WITH old_blocks AS (DELETE FROM block_histograms WHERE dataset = $1),
            whole AS (INSERT INTO dataset_histograms (dataset, resized) VALUES ($1, decode($2, 'hex'))
                      ON CONFLICT (dataset) DO UPDATE SET resized = EXCLUDED.resized)
            INSERT INTO block_histograms (dataset, depth_first, depth_last, frame_count, original)
            SELECT $1, b.first, b.last, b.count, decode(b.original, 'hex')
            FROM unnest($3::float8[], $4::float8[], $5::integer[], $6::text[]) AS b(first, last, count, original)
            """, [dataset, histograms.resized.encoded().hexString,
                  array(blocks.map { "\($0.firstDepth)" }), array(blocks.map { "\($0.lastDepth)" }),
                  array(blocks.map { String($0.frameCount) }), array(blocks.map { $0.original.encoded().hexString })])
    }

    /// The dataset's frames packed in blocks of `FramePack.framesPerBlock` in depth order, replacing the
    /// old packs; built by the server from the rows just written, whatever order the file had.
    private func replaceFramePacks() throws(PostgresError) {
        _ = try connection.query("""
            WITH old_blocks AS (DELETE FROM frame_blocks WHERE dataset = $1)
            INSERT INTO frame_blocks (dataset, depth_first, depth_last, frames)
            SELECT $1, min(depth), max(depth),
                   string_agg(\(FramePack.recordSQL), ''::bytea ORDER BY depth)
            FROM (SELECT *, (row_number() OVER (ORDER BY depth) - 1) / $2 AS block FROM frames WHERE dataset = $1) f
            GROUP BY block
            """, [dataset, String(FramePack.framesPerBlock)])
    }

    /// The dataset record as the frames now are, with this ingest's generation.
    private func publish(originalWidth: Int, resizedWidth: Int, sourceFile: String) throws(PostgresError) -> DatasetInfo {
        let summary = try connection.query("""
            UPDATE datasets SET original_width = $2, resized_width = $3, depth_min = f.low, depth_max = f.high,
                frame_count = f.count, generation = $4, source_file = $5, ingested_at = now()
            FROM (SELECT min(depth) AS low, max(depth) AS high, count(*) AS count FROM frames WHERE dataset = $1) f
            WHERE name = $1 AND f.count > 0
            RETURNING depth_min, depth_max, frame_count
            """, [dataset, String(originalWidth), String(resizedWidth), String(generation), sourceFile])
        // The caller refuses a file without rows before it commits, so a frameless dataset is a fault.
        guard summary.rowCount == 1 else { throw .unexpectedResult("dataset \(dataset) has no frames to publish") }
        return DatasetInfo(name: dataset, originalWidth: originalWidth, resizedWidth: resizedWidth,
                           depthMin: Double(summary.string(0, 0) ?? "") ?? 0,
                           depthMax: Double(summary.string(0, 1) ?? "") ?? 0,
                           frameCount: Int(summary.string(0, 2) ?? "") ?? 0, generation: generation)
    }
}
