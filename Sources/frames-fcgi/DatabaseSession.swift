import FramesCore
import FrameStore
import PostgresClient
import ProcessSupport

/// The worker's one PostgreSQL connection, (re)opened on demand. After the server restarts, the first
/// statement on the old connection fails; the session reconnects and retries once, and answers 503
/// (never a crash) only while the database really cannot be reached.
final class DatabaseSession {
    private let conninfo: String
    private var reader: FrameReader?
    private(set) var errors = 0
    private(set) var reconnects = 0
    private var everConnected = false

    init(conninfo: String) {
        self.conninfo = conninfo
    }

    var isConnected: Bool { reader?.connection.isHealthy ?? false }

    func run<T>(_ body: (FrameReader) throws(PostgresError) -> T) throws(RequestError) -> T {
        for attempt in 1...2 {
            do throws(PostgresError) {
                return try body(try connectedReader())
            } catch {
                errors += 1
                switch error {
                case .unavailable(let message):
                    reader = nil
                    Log.warning("database unavailable", ["error": .string(message), "attempt": .int(attempt)])
                case .statement(let state, let message):
                    // Undefined table: the schema is not there yet (no ingest has run).
                    if state == "42P01" { throw .databaseUnavailable(retryAfterSeconds: 30) }
                    throw .internalError(reason: "SQLSTATE \(state): \(message)")
                }
            }
        }
        throw .databaseUnavailable(retryAfterSeconds: 5)
    }

    /// Whether the schema is in place, for `/ready`.
    func tablesExist() -> Bool {
        (try? run { reader throws(PostgresError) in
            try SchemaMigrations.currentVersion(on: reader.connection) != nil
        }) ?? false
    }

    private func connectedReader() throws(PostgresError) -> FrameReader {
        if let reader { return reader }
        let connection = try PostgresConnection(conninfo: conninfo)
        let fresh = try FrameReader(connection: connection)
        if everConnected { reconnects += 1 }
        everConnected = true
        reader = fresh
        return fresh
    }
}
