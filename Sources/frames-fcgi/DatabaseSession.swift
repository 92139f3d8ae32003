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

    /// Runs `body` on the connection. With `retrying` (the default) a lost connection is reopened and
    /// `body` runs once more; without it (rows of a response already sent cannot be sent again) the
    /// loss is a 503 straight away.
    func run<T>(retrying: Bool = true, _ body: (FrameReader) throws(PostgresError) -> T) throws(RequestError) -> T {
        for attempt in 1...(retrying ? 2 : 1) {
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

    /// For `/ready`: can the database be reached, and is the schema there? A missing schema (no ingest
    /// has run yet) is told apart from an unreachable server.
    func readiness() -> (connected: Bool, tablesExist: Bool) {
        if (try? run({ reader throws(PostgresError) in try reader.connection.execute("SELECT 1") })) != nil {
            return (true, true)
        }
        // No reader could be made: the server is unreachable, or preparing failed for want of tables.
        guard let probe = try? PostgresConnection(conninfo: conninfo) else { return (false, false) }
        let version = (try? SchemaMigrations.currentVersion(on: probe)) ?? nil
        return (true, version != nil)
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
