import FramesCore
import Glibc
import PostgresClient

/// What made a generation, as `generations` records it beside the counts and the dataset's shape.
public struct GenerationOrigin: Sendable {
    public var command: String
    public var sourceFile: String?
    public var sourceSHA256: String?
    public var note: String?

    public init(command: String, sourceFile: String? = nil, sourceSHA256: String? = nil, note: String? = nil) {
        self.command = command
        self.sourceFile = sourceFile
        self.sourceSHA256 = sourceSHA256
        self.note = note
    }
}

/// The write side of versions, shared by the loader and the catalog. It works inside the caller's
/// transaction, under the caller's lock on the dataset: it retires replaced rows into `frame_history`,
/// brings in the new ones, records the generation and prunes old ones.
struct GenerationLedger {
    let connection: any SQLConnection
    let dataset: String
    let generation: Int64

    static func nextGeneration(on connection: any SQLConnection) throws(PostgresError) -> Int64 {
        guard let value = try connection.query("SELECT nextval('dataset_generation')").string(0, 0).flatMap(Int64.init)
        else { throw .unexpectedResult("nextval('dataset_generation') returned no value") }
        return value
    }

    /// The statement's head that moves the current rows matching `condition` (on `f`) to the history,
    /// ending at this generation; `moved` then holds their depths. $1 is the dataset, $2 the generation.
    private static func retiring(where condition: String) -> String {
        """
        WITH retired AS (DELETE FROM frames f WHERE f.dataset = $1 AND \(condition) RETURNING f.*),
        moved AS (INSERT INTO frame_history (dataset, \(FrameHistory.contentColumns), generation_from, generation_to)
                  SELECT dataset, \(FrameHistory.contentColumns), generation_from, $2::bigint FROM retired RETURNING depth)
        """
    }

    private var parameters: [String?] { [dataset, String(generation)] }

    /// Makes the dataset's rows those of temporary table `staged` (same columns as `frames`): for the
    /// staged depths only when `wholeDataset` is false (a merge), else also removing the depths it
    /// lacks. A staged row whose depth and hash match a current row leaves that row as it is, and so
    /// do the current rows at the depths of table `keeping` (rows the loader found unchanged and did
    /// not send).
    func replace(with staged: String, keeping: String? = nil, wholeDataset: Bool) throws(PostgresError) -> FrameChangeCounts {
        // An anti-join (NOT EXISTS) stays a hash join however many rows are kept; NOT IN would not.
        let kept = keeping.map { "AND NOT EXISTS (SELECT FROM \($0) k WHERE k.depth = f.depth)" } ?? ""
        // One join finds what differs, into a small table: the current rows to retire (changed or
        // removed) and the staged rows to insert (changed or new). The moves then touch only those rows,
        // so an unchanged re-ingest writes nothing.
        let differences = wholeDataset
            ? """
              SELECT c.depth AS current_depth, s.depth AS staged_depth
              FROM (SELECT depth, row_hash FROM frames f WHERE dataset = $1 \(kept)) c
              FULL JOIN \(staged) s ON s.depth = c.depth AND s.row_hash = c.row_hash
              WHERE c.depth IS NULL OR s.depth IS NULL
              """
            : """
              SELECT c.depth AS current_depth, s.depth AS staged_depth
              FROM \(staged) s LEFT JOIN frames c ON c.dataset = $1 AND c.depth = s.depth
              WHERE c.depth IS NULL OR c.row_hash IS DISTINCT FROM s.row_hash
              """
        _ = try connection.query("CREATE TEMPORARY TABLE staged_changes ON COMMIT DROP AS " + differences, [dataset])
        // Its size decides between index probes and a scan of the dataset in the statements below.
        try connection.execute("ANALYZE staged_changes")
        let counted = try connection.query("""
            SELECT count(current_depth), count(staged_depth),
                   (SELECT count(*) FROM staged_changes a JOIN staged_changes b ON a.current_depth = b.staged_depth)
            FROM staged_changes
            """)
        _ = try connection.query(Self.retiring(where: "f.depth IN (SELECT current_depth FROM staged_changes)")
                                 + "SELECT count(*) FROM moved", parameters)
        _ = try connection.query("""
            INSERT INTO frames (dataset, \(FrameHistory.contentColumns), generation_from)
            SELECT $1::text, \(FrameHistory.contentColumns), $2::bigint FROM \(staged)
            WHERE depth IN (SELECT staged_depth FROM staged_changes)
            """, parameters)
        let retired = Self.number(counted, 0), inserted = Self.number(counted, 1), changed = Self.number(counted, 2)
        return FrameChangeCounts(added: inserted - changed, changed: changed, removed: retired - changed)
    }

    /// Retires the current rows between two depths, inclusive; returns how many.
    func remove(depthsFrom low: Double, to high: Double) throws(PostgresError) -> Int {
        let result = try connection.query(Self.retiring(where: "f.depth BETWEEN $3::float8 AND $4::float8")
                                          + "SELECT count(*) FROM moved", parameters + ["\(low)", "\(high)"])
        return Self.number(result, 0)
    }

    /// Publishes this generation: the dataset record as the frames now are, and its provenance. An
    /// origin without a file keeps the record's source file and ingest time. Throws if no frame is left.
    func publish(_ origin: GenerationOrigin, counts: FrameChangeCounts, originalWidth: Int,
                 resizedWidth: Int) throws(PostgresError) -> DatasetInfo {
        let summary = try connection.query("""
            WITH published AS (
                UPDATE datasets SET original_width = $3, resized_width = $4, depth_min = f.low, depth_max = f.high,
                    frame_count = f.count, generation = $2, source_file = coalesce($5, source_file),
                    ingested_at = CASE WHEN $5 IS NULL THEN ingested_at ELSE now() END
                FROM (SELECT min(depth) AS low, max(depth) AS high, count(*) AS count FROM frames WHERE dataset = $1) f
                WHERE name = $1 AND f.count > 0
                RETURNING depth_min, depth_max, frame_count)
            INSERT INTO generations (dataset, generation, command, source_file, source_sha256, note, host,
                                     frames_added, frames_changed, frames_removed, frame_count, depth_min, depth_max,
                                     original_width, resized_width)
            SELECT $1::text, $2::bigint, $6::text, $5::text, $7::text, $8::text, $9::text, $10::integer, $11::integer,
                   $12::integer, frame_count, depth_min, depth_max, $3::integer, $4::integer FROM published
            RETURNING depth_min, depth_max, frame_count
            """, parameters + [String(originalWidth), String(resizedWidth), origin.sourceFile, origin.command,
                               origin.sourceSHA256, origin.note, Self.host, String(counts.added),
                               String(counts.changed), String(counts.removed)])
        guard summary.rowCount == 1 else { throw .unexpectedResult("dataset \(dataset) has no frames to publish") }
        try DerivedFrameData.refresh(dataset, on: connection)
        return DatasetInfo(name: dataset, originalWidth: originalWidth, resizedWidth: resizedWidth,
                           depthMin: Double(summary.string(0, 0) ?? "") ?? 0,
                           depthMax: Double(summary.string(0, 1) ?? "") ?? 0,
                           frameCount: Self.number(summary, 2), generation: generation)
    }

    /// Keeps the `keep` newest readable generations of `dataset` and drops the history rows that only
    /// older ones use; those generations stay listed, marked pruned. Returns how many were pruned and
    /// how many rows freed.
    static func prune(_ dataset: String, keep: Int,
                      on connection: any SQLConnection) throws(PostgresError) -> (generations: Int, rows: Int) {
        // A history row belongs to generations from generation_from up to generation_to; the kept ones
        // are all from the oldest kept upward, so a row ending at or before that one serves none of them.
        let result = try connection.query("""
            WITH kept AS (
                SELECT min(generation) AS oldest FROM (
                    SELECT generation FROM generations WHERE dataset = $1 AND pruned_at IS NULL
                    ORDER BY generation DESC LIMIT $2::integer) newest),
            freed AS (DELETE FROM frame_history h USING kept
                      WHERE h.dataset = $1 AND h.generation_to <= kept.oldest RETURNING 1),
            marked AS (UPDATE generations g SET pruned_at = now() FROM kept
                       WHERE g.dataset = $1 AND g.generation < kept.oldest AND g.pruned_at IS NULL RETURNING 1)
            SELECT (SELECT count(*) FROM marked), (SELECT count(*) FROM freed)
            """, [dataset, String(keep)])
        return (number(result, 0), number(result, 1))
    }

    private static func number(_ result: PostgresResult, _ column: Int) -> Int {
        result.string(0, column).flatMap { Int($0) } ?? 0
    }

    /// The machine the command ran on, for provenance.
    static let host: String? = {
        var name = [CChar](repeating: 0, count: 256)
        guard gethostname(&name, name.count - 1) == 0 else { return nil }
        return String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }()
}
