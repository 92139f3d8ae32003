import FramesCore
import PostgresClient

/// The datasets as an administrator manages them: listed, shown, deleted, renamed. Changes take the
/// same per-name advisory lock as an ingest, so they wait for an ingest of either name to finish.
public struct DatasetCatalog {
    /// One dataset with what the API does not serve: where it came from and when.
    public struct Entry: Equatable, Sendable {
        public var info: DatasetInfo
        public var sourceFile: String?
        /// RFC 3339, UTC, to the second.
        public var ingestedAt: String
    }

    public enum Failure: Error, Equatable, CustomStringConvertible {
        case noSuchDataset(String)
        case nameTaken(String)
        case database(PostgresError)

        public var description: String {
            switch self {
            case .noSuchDataset(let name): return "no dataset named \(name)"
            case .nameTaken(let name): return "a dataset named \(name) already exists: delete it first, or choose another name"
            case .database(let error): return error.description
            }
        }
    }

    let connection: PostgresConnection

    public init(connection: PostgresConnection) {
        self.connection = connection
    }

    private static let columns = """
        name, original_width, resized_width, depth_min, depth_max, frame_count, generation, source_file,
        to_char(ingested_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
        """

    public func list() throws(Failure) -> [Entry] {
        let result = try database { () throws(PostgresError) in
            try connection.query("SELECT \(Self.columns) FROM datasets ORDER BY name")
        }
        return (0..<result.rowCount).map { Self.entry(result, $0) }
    }

    public func entry(named name: String) throws(Failure) -> Entry {
        guard let found = try find(name) else { throw .noSuchDataset(name) }
        return found
    }

    private func find(_ name: String) throws(Failure) -> Entry? {
        let result = try database { () throws(PostgresError) in
            try connection.query("SELECT \(Self.columns) FROM datasets WHERE name = $1", [name])
        }
        return result.rowCount == 1 ? Self.entry(result, 0) : nil
    }

    /// Removes the dataset and its frames (the foreign key cascades); returns what was removed.
    @discardableResult
    public func delete(_ name: String) throws(Failure) -> Entry {
        try transaction(locking: [name]) { () throws(Failure) in
            let removed = try entry(named: name)
            _ = try database { () throws(PostgresError) in try connection.query("DELETE FROM datasets WHERE name = $1", [name]) }
            return removed
        }
    }

    /// Renames the dataset and its frames in one transaction, under a new generation: answers cached
    /// under the old name, or with the old generation's ETag, stop validating.
    @discardableResult
    public func rename(_ old: String, to new: String) throws(Failure) -> Entry {
        try transaction(locking: [old, new]) { () throws(Failure) in
            _ = try entry(named: old)
            guard try find(new) == nil else { throw .nameTaken(new) }
            _ = try database { () throws(PostgresError) in
                try connection.query("""
                    UPDATE datasets SET name = $2, generation = nextval('dataset_generation') WHERE name = $1
                    """, [old, new])
            }
            return try entry(named: new)
        }
    }

    private func transaction<T>(locking names: [String], _ body: () throws(Failure) -> T) throws(Failure) -> T {
        try database { () throws(PostgresError) in try connection.execute("BEGIN") }
        do throws(Failure) {
            // In one order, so that two renames of the same pair wait for each other instead of deadlocking.
            for name in Set(names).sorted() {
                _ = try database { () throws(PostgresError) in
                    try connection.query("SELECT pg_advisory_xact_lock(hashtext($1))", [name])
                }
            }
            let value = try body()
            try database { () throws(PostgresError) in try connection.execute("COMMIT") }
            return value
        } catch {
            try? connection.execute("ROLLBACK")
            throw error
        }
    }

    private func database<T>(_ body: () throws(PostgresError) -> T) throws(Failure) -> T {
        do {
            return try body()
        } catch {
            throw .database(error)
        }
    }

    private static func entry(_ result: PostgresResult, _ row: Int) -> Entry {
        func number(_ column: Int) -> Int { result.string(row, column).flatMap { Int($0) } ?? 0 }
        func real(_ column: Int) -> Double { result.string(row, column).flatMap { Double($0) } ?? .nan }
        let info = DatasetInfo(name: result.string(row, 0) ?? "", originalWidth: number(1), resizedWidth: number(2),
                               depthMin: real(3), depthMax: real(4), frameCount: number(5),
                               generation: Int64(number(6)))
        return Entry(info: info, sourceFile: result.string(row, 7), ingestedAt: result.string(row, 8) ?? "")
    }
}
