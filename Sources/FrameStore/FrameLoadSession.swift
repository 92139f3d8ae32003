import FramesCore
import PostgresClient

/// Loads one file into one dataset in one transaction, as a new generation: `begin`, `append` each
/// frame, then `commit` or `rollback`.
///
/// Frames travel by binary COPY. A new dataset is copied straight into `frames`. When a whole file
/// replaces a dataset that exists, the hashes of its current rows are read first (`storedHashes`): a
/// row the caller finds there is only noted (`appendUnchanged`). The other rows are copied into a
/// temporary table and compared at commit by depth and row hash: rows that did not change stay where
/// they are, replaced and removed rows move to `frame_history`, new and changed rows go into `frames`.
/// Readers see the old generation until the commit and the new one after it, never a mixture; until
/// `commit` returns, nothing is visible and `rollback` leaves the database as it was.
public final class FrameLoadSession {
    /// What the file's rows do to the dataset.
    public enum Mode: Sendable {
        /// The file is the whole dataset: depths it lacks are removed.
        case replace
        /// The file's depths are upserted; every other depth stays.
        case merge
    }

    private let connection: any SQLConnection
    private let mode: Mode
    private let datasetBytes: [UInt8]
    private let ledger: GenerationLedger
    /// The dataset's widths before this load, or nil when it is new.
    public let existingWidths: (original: Int, resized: Int)?
    /// The hashes of the dataset's current rows when a whole file replaces it (else none).
    public let storedHashes: StoredRowHashes
    /// The depths of the rows found unchanged, which a whole-file load must not remove.
    private var unchangedDepths: [Double] = []
    private var writer = CopyBinaryWriter()
    private var appended = 0
    private var histograms = IngestHistograms()
    private var finished = false

    private static let columns = """
        dataset, depth, pixel_min, pixel_max, pixel_mean, pixel_std, original_gz, resized_gz, resized,
        compression_ratio_original, compression_ratio_resized, generation_from, row_hash
        """
    private static let staging = "staged_frames"
    private static let unchangedTable = "unchanged_frames"
    /// Bytes buffered before they go to the server: large enough to keep libpq's calls few.
    private static let flushThreshold = 1 << 18

    private init(connection: any SQLConnection, mode: Mode, ledger: GenerationLedger,
                 existingWidths: (original: Int, resized: Int)?, storedHashes: StoredRowHashes) {
        self.connection = connection
        self.mode = mode
        datasetBytes = Array(ledger.dataset.utf8)
        self.ledger = ledger
        self.existingWidths = existingWidths
        self.storedHashes = storedHashes
    }

    /// Opens the transaction, takes the dataset's ingest lock, draws the new generation and starts the COPY.
    public static func begin(on connection: any SQLConnection, dataset: String,
                             mode: Mode = .replace) throws(PostgresError) -> FrameLoadSession {
        try connection.execute("BEGIN")
        do throws(PostgresError) {
            // Two ingests of the same dataset queue up instead of interleaving their writes.
            _ = try connection.query("SELECT pg_advisory_xact_lock(hashtext($1))", [dataset])
            let existing = try connection.query("SELECT original_width, resized_width FROM datasets WHERE name = $1",
                                                [dataset])
            let widths = existing.rowCount == 1
                ? (original: Int(existing.string(0, 0) ?? "") ?? 0, resized: Int(existing.string(0, 1) ?? "") ?? 0) : nil
            let generation = try GenerationLedger.nextGeneration(on: connection)
            let target: String
            var hashes = StoredRowHashes()
            if widths != nil {
                // Read under the lock, in this transaction: no other load can change them before commit.
                // A merge is usually a short interval of a long log: reading every hash of the dataset
                // would cost more than processing its few rows, and the comparison at commit finds its
                // unchanged rows anyway.
                if mode == .replace { hashes = try StoredRowHashes.read(dataset, on: connection) }
                try connection.execute("CREATE TEMPORARY TABLE \(staging) (LIKE frames) ON COMMIT DROP")
                target = staging
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
            return FrameLoadSession(connection: connection, mode: mode,
                                    ledger: GenerationLedger(connection: connection, dataset: dataset,
                                                             generation: generation),
                                    existingWidths: widths, storedHashes: hashes)
        } catch {
            try? connection.execute("ROLLBACK")
            throw error
        }
    }

    /// A row whose hash `storedHashes` holds at its depth: nothing is sent, the pixels only count
    /// towards the dataset's histograms.
    public func appendUnchanged(depth: Double, original: [UInt8], resized: [UInt8]) {
        histograms.add(depth: depth, original: original, resized: resized)
        unchangedDepths.append(depth)
    }

    public func append(_ frame: ProcessedFrame) throws(PostgresError) {
        writer.beginTuple(fieldCount: 13)
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
        writer.appendInt8(ledger.generation)
        writer.appendBytea(frame.rowHash)
        appended += 1
        histograms.add(depth: frame.depth, original: frame.original, resized: frame.resized)
        if writer.buffer.count >= Self.flushThreshold { try flush() }
    }

    /// Ends the COPY, brings the frames in, records the generation with `origin` and commits. With
    /// `keepGenerations`, older generations are pruned in the same transaction.
    public func commit(_ origin: GenerationOrigin, originalWidth: Int, resizedWidth: Int,
                       keepGenerations: Int? = nil) throws(PostgresError) -> (dataset: DatasetInfo, counts: FrameChangeCounts) {
        do throws(PostgresError) {
            writer.finish()
            try flush()
            try connection.endCopyIn()
            let counts: FrameChangeCounts
            if existingWidths == nil {
                counts = FrameChangeCounts(added: appended)
            } else {
                try copyUnchangedDepths()
                counts = try ledger.replace(with: Self.staging, keeping: unchangedDepths.isEmpty ? nil : Self.unchangedTable,
                                            wholeDataset: mode == .replace)
            }
            let info = try ledger.publish(origin, counts: counts, originalWidth: originalWidth, resizedWidth: resizedWidth)
            // Only a file that is the whole dataset has counted the whole dataset's pixels; after a merge
            // the dataset's histograms stay dropped (publish drops them) and reads count from the rows.
            if mode == .replace { try DerivedFrameData.store(histograms, of: ledger.dataset, on: connection) }
            if let keepGenerations { _ = try GenerationLedger.prune(ledger.dataset, keep: keepGenerations, on: connection) }
            try connection.execute("COMMIT")
            finished = true
            return (info, counts)
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

    /// The unchanged rows' depths into a temporary table of their own, by a second binary COPY.
    private func copyUnchangedDepths() throws(PostgresError) {
        guard !unchangedDepths.isEmpty else { return }
        try connection.execute("CREATE TEMPORARY TABLE \(Self.unchangedTable) (depth float8) ON COMMIT DROP")
        try connection.beginCopyIn("COPY \(Self.unchangedTable) (depth) FROM STDIN (FORMAT binary)")
        writer = CopyBinaryWriter()
        for depth in unchangedDepths {
            writer.beginTuple(fieldCount: 1)
            writer.appendFloat8(depth)
            if writer.buffer.count >= Self.flushThreshold { try flush() }
        }
        writer.finish()
        try flush()
        try connection.endCopyIn()
        // Right after a large first load the statistics of `frames` can still describe the table before
        // it, and the planner then expects a handful of rows and may choose a nested loop: with an index
        // each of its probes is a lookup, not a scan of every kept depth.
        try connection.execute("CREATE INDEX ON \(Self.unchangedTable) (depth); ANALYZE \(Self.unchangedTable)")
    }

    private func flush() throws(PostgresError) {
        let chunk = writer.takeBuffer()
        // `withUnsafeBytes` rethrows untyped errors: the typed one travels out in a Result.
        try chunk.withUnsafeBytes { bytes in Result { () throws(PostgresError) in try connection.putCopyData(bytes) } }.get()
    }
}
