import FramesCore
import PostgresClient

/// A generation that cannot be read: never one of the dataset's, or pruned. Names the ones that can.
public struct UnreadableGeneration: Error, Equatable, Sendable, CustomStringConvertible {
    public var dataset: String
    public var generation: Int64
    public var pruned: Bool
    /// The dataset's readable generations, newest first.
    public var readable: [Int64]

    public var description: String {
        let what = pruned ? "generation \(generation) of \(dataset) was pruned"
                          : "dataset \(dataset) has no generation \(generation)"
        return what + "; its readable generations are " + readable.map(String.init).joined(separator: ", ")
    }
}

/// Reads a dataset as of any kept generation: its provenance, its shape, its frames and what changed
/// between two generations. A query reads one generation whole, however many came after it.
public final class GenerationReader {
    public enum Failure: Error, Equatable, CustomStringConvertible {
        case noSuchDataset(String)
        case noSuchGeneration(UnreadableGeneration)
        case database(PostgresError)

        public var description: String {
            switch self {
            case .noSuchDataset(let name): return "no dataset named \(name)"
            case .noSuchGeneration(let unreadable): return unreadable.description
            case .database(let error): return error.description
            }
        }
    }

    private let connection: PostgresConnection

    /// Prepares its statements on `connection`: one reader per connection.
    public init(connection: PostgresConnection) throws(PostgresError) {
        self.connection = connection
        try connection.prepare(name: "generation_frames", sql: """
            SELECT \(FrameReader.frameColumns) FROM (\(FrameHistory.rowsAsOf(FrameReader.frameColumns,
                condition: "depth BETWEEN $3::float8 AND $4::float8"))) asof
            ORDER BY depth LIMIT $5::integer
            """)
        try connection.prepare(name: "generation_originals", sql: FrameHistory.rowsAsOf(
            "original_gz", condition: "depth BETWEEN $3::float8 AND $4::float8"))
    }

    /// The dataset's generations, newest first, pruned ones included.
    public func generations(of dataset: String) throws(Failure) -> [GenerationRecord] {
        try Self.records(of: dataset, on: connection)
    }

    /// The dataset as `generation` left it.
    public func dataset(_ name: String, asOf generation: Int64) throws(Failure) -> DatasetInfo {
        try Self.readableRecord(generation, of: name, on: connection).dataset
    }

    /// The frames of a depth range as of `generation`, in depth order, as `FrameReader` returns them.
    public func frames(dataset: String, asOf generation: Int64, range: DepthRange,
                       limit: Int) throws(Failure) -> [StoredFrame] {
        try frames(dataset: dataset, asOf: generation, span: range.lower...range.upper, limit: limit)
    }

    /// The same for any span of depths (a dynamic window's context reaches past a range); `limit`
    /// nil reads every frame of the span.
    public func frames(dataset: String, asOf generation: Int64, span: ClosedRange<Double>,
                       limit: Int?) throws(Failure) -> [StoredFrame] {
        var frames: [StoredFrame] = []
        try streamFrames(dataset: dataset, asOf: generation, span: span, limit: limit) { frames.append($0) }
        return frames
    }

    /// The same frames one at a time as the server sends them, so memory stays flat for any range.
    public func streamFrames(dataset: String, asOf generation: Int64, span: ClosedRange<Double>, limit: Int?,
                             _ each: (StoredFrame) -> Void) throws(Failure) {
        _ = try Self.readableRecord(generation, of: dataset, on: connection)
        try Self.database { () throws(PostgresError) in
            // LIMIT NULL is no limit.
            try connection.streamPrepared("generation_frames", [dataset, String(generation), FrameReader.text(span.lowerBound),
                                                                FrameReader.text(span.upperBound), limit.map(String.init)],
                                          binary: true)
            while let result = try connection.nextRow() {
                each(FrameReader.frame(result, 0))
            }
        }
    }

    /// The gzip-compressed original rows of a span as of `generation`, in no particular order: what
    /// `/statistics` counts for a past generation, which has no stored histograms.
    public func compressedOriginals(dataset: String, asOf generation: Int64,
                                    span: ClosedRange<Double>) throws(Failure) -> [[UInt8]] {
        _ = try Self.readableRecord(generation, of: dataset, on: connection)
        return try Self.database { () throws(PostgresError) in
            let result = try connection.executePrepared("generation_originals", [
                dataset, String(generation), FrameReader.text(span.lowerBound), FrameReader.text(span.upperBound),
            ], binary: true)
            return (0..<result.rowCount).map { [UInt8](result.bytes($0, 0)) }
        }
    }

    /// The depths whose frame differs between generations `from` and `to`, in depth order: added (in
    /// `to` only), removed (in `from` only) or changed (different content).
    public func changes(of dataset: String, from: Int64, to: Int64) throws(Failure) -> [DepthChange] {
        for generation in [from, to] { _ = try Self.readableRecord(generation, of: dataset, on: connection) }
        let columns = "depth, generation_from, row_hash"
        let result = try Self.database { () throws(PostgresError) in
            // A row stored again with the same content (as a rollback does) is not a change; rows from
            // before versions have no hash and count as changed when their generation differs.
            try connection.query("""
                WITH a AS (\(FrameHistory.rowsAsOf(columns, generationParameter: "$2"))),
                     b AS (\(FrameHistory.rowsAsOf(columns, generationParameter: "$3")))
                SELECT coalesce(a.depth, b.depth),
                       CASE WHEN a.depth IS NULL THEN 'added' WHEN b.depth IS NULL THEN 'removed' ELSE 'changed' END
                FROM a FULL JOIN b ON a.depth = b.depth
                WHERE a.depth IS NULL OR b.depth IS NULL
                   OR (a.generation_from <> b.generation_from AND NOT coalesce(a.row_hash = b.row_hash, false))
                ORDER BY 1
                """, [dataset, String(from), String(to)])
        }
        return (0..<result.rowCount).compactMap { row in
            guard let depth = result.string(row, 0).flatMap(Double.init),
                  let kind = result.string(row, 1).flatMap(DepthChange.Kind.init(rawValue:)) else { return nil }
            return DepthChange(depth: depth, kind: kind)
        }
    }

    /// `generation` of `dataset`, if it can be read; else why not.
    static func readableRecord(_ generation: Int64, of dataset: String,
                               on connection: PostgresConnection) throws(Failure) -> GenerationRecord {
        let records = try records(of: dataset, on: connection)
        if let record = records.first(where: { $0.generation == generation }), !record.pruned { return record }
        throw .noSuchGeneration(UnreadableGeneration(
            dataset: dataset, generation: generation, pruned: records.contains { $0.generation == generation },
            readable: records.filter { !$0.pruned }.map(\.generation)))
    }

    static func records(of dataset: String, on connection: PostgresConnection) throws(Failure) -> [GenerationRecord] {
        let result = try database { () throws(PostgresError) in
            try connection.query("""
                SELECT generation, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), command,
                       source_file, source_sha256, note, host, frames_added, frames_changed, frames_removed,
                       frame_count, depth_min, depth_max, original_width, resized_width, pruned_at IS NOT NULL
                FROM generations WHERE dataset = $1 ORDER BY generation DESC
                """, [dataset])
        }
        guard result.rowCount > 0 else { throw .noSuchDataset(dataset) }
        return (0..<result.rowCount).map { row in
            func number(_ column: Int) -> Int { result.string(row, column).flatMap { Int($0) } ?? 0 }
            func real(_ column: Int) -> Double { result.string(row, column).flatMap { Double($0) } ?? .nan }
            let info = DatasetInfo(name: dataset, originalWidth: number(13), resizedWidth: number(14),
                                   depthMin: real(11), depthMax: real(12), frameCount: number(10),
                                   generation: Int64(number(0)))
            return GenerationRecord(dataset: info, createdAt: result.string(row, 1) ?? "", command: result.string(row, 2) ?? "",
                                    sourceFile: result.string(row, 3), sourceSHA256: result.string(row, 4),
                                    note: result.string(row, 5), host: result.string(row, 6),
                                    counts: FrameChangeCounts(added: number(7), changed: number(8), removed: number(9)),
                                    pruned: result.string(row, 15) == "t")
        }
    }

    private static func database<T>(_ body: () throws(PostgresError) -> T) throws(Failure) -> T {
        do {
            return try body()
        } catch {
            throw .database(error)
        }
    }
}
