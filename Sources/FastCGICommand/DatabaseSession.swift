import FramesCore
import FrameStore
import Glibc
import PostgresClient
import ProcessSupport

/// The worker's one PostgreSQL connection, (re)opened on demand. After the server restarts, the first
/// statement on the old connection fails; the session reconnects and tries again (three tries in all),
/// and answers 503 (never a crash) only while the database really cannot be reached.
final class DatabaseSession {
    /// What a statement is run with: the three readers share the connection.
    struct Readers {
        let frames: FrameReader
        /// Past generations.
        let history: GenerationReader
        let keys: KeyStore
    }

    private let conninfo: String
    private var readers: Readers?
    private(set) var errors = 0
    private(set) var reconnects = 0
    private var everConnected = false

    /// How long to wait for a server to answer a connection attempt, and for one statement (seconds;
    /// 0: no statement limit). A statement cut short answers 503 with Retry-After.
    struct Limits {
        var connectTimeout = 2
        var statementTimeout = 5
    }
    private let limits: Limits
    /// Dataset rows read a moment ago, for answering If-None-Match without a round trip.
    let recent = RecentDatasets()

    init(conninfo: String, limits: Limits = Limits()) {
        self.conninfo = conninfo
        self.limits = limits
    }

    /// Runs `body` on the connection. When the connection turns out to be gone, a fresh one is made and
    /// `body` runs again, unless `retrying` is false: a body that already sent part of a response
    /// cannot start over.
    ///
    /// Three tries in all, the last after a pause: while a server of a multi-host conninfo shuts down,
    /// libpq's search can still meet it half-closed and give up before it reaches the survivor; a
    /// moment later the search finds the other host (measured when a standby stops under load).
    func run<T>(retrying: Bool = true, _ body: (Readers) throws(PostgresError) -> T) throws(RequestError) -> T {
        for attempt in 1...(retrying ? 3 : 1) {
            if attempt == 3 { usleep(100_000) }
            do throws(PostgresError) {
                return try body(try connectedReaders())
            } catch {
                errors += 1
                guard error.isConnectionProblem else {
                    // The schema is not there yet (no ingest has run): as good as unavailable.
                    if error.sqlState == .undefinedTable { throw .databaseUnavailable(retryAfterSeconds: 30) }
                    if error.isTransient { throw .databaseUnavailable(retryAfterSeconds: 5) }
                    throw .internalError(reason: error.description)
                }
                readers = nil
                Log.warning("database unavailable", ["error": .string(error.description), "attempt": .int(attempt)])
            }
        }
        throw .databaseUnavailable(retryAfterSeconds: 5)
    }

    /// Runs `body` on the reader of past generations, with `run`'s reconnecting; an unknown dataset or
    /// an unreadable generation becomes a 404 naming what exists.
    func asOf<T>(_ body: (GenerationReader) throws(GenerationReader.Failure) -> T) throws(RequestError) -> T {
        var refusal: GenerationReader.Failure?
        let value = try run { (readers) throws(PostgresError) -> T? in
            do throws(GenerationReader.Failure) {
                return try body(readers.history)
            } catch {
                if case .database(let failure) = error { throw failure }
                refusal = error
                return nil
            }
        }
        if let value { return value }
        switch refusal {
        case .noSuchDataset(let name): throw .unknownDataset(name)
        case .noSuchGeneration(let unreadable): throw .unreadableGeneration(detail: unreadable.description)
        case .database, nil: throw .internalError(reason: "a past generation's read ended without an answer")
        }
    }

    /// For `/ready`: can the database be reached, and is the schema there? A missing schema (no ingest
    /// has run yet) is told apart from an unreachable server.
    func readiness() -> (connected: Bool, tablesExist: Bool) {
        if (try? run({ readers throws(PostgresError) in try readers.frames.ping() })) != nil {
            return (true, true)
        }
        // No reader could be made: the server is unreachable, or preparing failed for want of tables.
        guard let probe = try? PostgresConnection(conninfo: conninfo, connectTimeout: limits.connectTimeout) else {
            return (false, false)
        }
        let version = (try? SchemaMigrations.currentVersion(on: probe)) ?? nil
        return (true, version != nil)
    }

    private func connectedReaders() throws(PostgresError) -> Readers {
        if let readers { return readers }
        let connection = try PostgresConnection(conninfo: conninfo, connectTimeout: limits.connectTimeout)
        if limits.statementTimeout > 0 {
            try connection.execute("SET statement_timeout = \(limits.statementTimeout * 1000)")
        }
        RequestWatchdog.watch(connection)
        let fresh = Readers(frames: try FrameReader(connection: connection),
                            history: try GenerationReader(connection: connection), keys: KeyStore(connection: connection))
        if everConnected { reconnects += 1 }
        everConnected = true
        readers = fresh
        return fresh
    }
}
