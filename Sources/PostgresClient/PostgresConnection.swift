import CLibPQ
import Glibc

/// One libpq connection. Not thread-safe: each worker process or thread owns one.
///
/// The conninfo may name several hosts (`host=a,b target_session_attrs=…`); libpq tries them in order,
/// so failover and read replicas need nothing here.
public final class PostgresConnection {
    private var handle: OpaquePointer
    private let canceller: OpaquePointer?
    public let conninfo: String

    /// `connectTimeout` (seconds) applies unless the conninfo sets its own `connect_timeout`: without
    /// one, libpq waits on a host that accepts nothing for as long as the kernel does (minutes).
    public init(conninfo: String, connectTimeout: Int? = nil) throws(PostgresError) {
        // Keywords are read in order and a later one wins: the conninfo (expanded from "dbname") comes
        // after the default, so its own connect_timeout overrides ours.
        var keywords: [String] = [], values: [String] = []
        if let connectTimeout {
            keywords.append("connect_timeout")
            values.append(String(connectTimeout))
        }
        keywords.append("dbname")
        values.append(conninfo)
        let connection = withCStrings(keywords) { keys in
            withCStrings(values) { vals in PQconnectdbParams(keys + [nil], vals + [nil], 1) }
        }
        guard let conn = connection else { throw .connectionFailed("out of memory") }
        // Checked before the properties are set: a throwing init of a fully built object would also
        // run deinit, which would free the connection a second time.
        guard PQstatus(conn) == CONNECTION_OK else {
            let message = Self.errorText(conn)
            PQfinish(conn)
            throw .connectionFailed(message)
        }
        self.conninfo = conninfo
        handle = conn
        canceller = PQgetCancel(conn)
        silenceNotices()
    }

    deinit {
        if let canceller { PQfreeCancel(canceller) }
        PQfinish(handle)
    }

    /// What `cancelRunningStatement(of:)` needs to cancel this connection's statement, as plain bits
    /// that a signal handler can keep; valid while the connection lives.
    public var cancelToken: UInt { UInt(bitPattern: canceller.map { Int(bitPattern: UnsafeRawPointer($0)) } ?? 0) }

    /// Asks the server to cancel the statement running on the connection whose `cancelToken` this is;
    /// the statement then fails with SQLSTATE 57014. Safe in a signal handler: PQcancel is written for it.
    public static func cancelRunningStatement(of token: UInt) {
        guard let raw = UnsafeRawPointer(bitPattern: token) else { return }
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: 256) { errors in
            _ = PQcancel(OpaquePointer(raw), errors.baseAddress, 256)
        }
    }

    /// Runs one or more statements that take no parameters and return no rows worth reading.
    public func execute(_ sql: String) throws(PostgresError) {
        let result = PQexec(handle, sql)
        defer { PQclear(result) }
        try check(result, expecting: [PGRES_COMMAND_OK, PGRES_TUPLES_OK])
    }

    /// A parameterized statement: values travel separately from the SQL text, never spliced into it.
    /// Results come in binary when asked.
    public func query(_ sql: String, _ parameters: [String?] = [], binary: Bool = false) throws(PostgresError) -> PostgresResult {
        let result = withCStrings(parameters) { values in
            PQexecParams(handle, sql, Int32(values.count), nil, values, nil, nil, binary ? 1 : 0)
        }
        return try rows(of: result)
    }

    /// Prepares a named statement once per connection, for the hot read paths.
    public func prepare(name: String, sql: String) throws(PostgresError) {
        let result = PQprepare(handle, name, sql, 0, nil)
        defer { PQclear(result) }
        try check(result, expecting: [PGRES_COMMAND_OK])
    }

    /// Runs a prepared statement, results in binary when asked (no text parsing of bytea or floats).
    public func executePrepared(_ name: String, _ parameters: [String?], binary: Bool) throws(PostgresError) -> PostgresResult {
        let result = withCStrings(parameters) { values in
            PQexecPrepared(handle, name, Int32(values.count), values, nil, nil, binary ? 1 : 0)
        }
        return try rows(of: result)
    }

    /// The result of a statement that succeeded; a failed one is freed here and thrown.
    private func rows(of result: OpaquePointer?) throws(PostgresError) -> PostgresResult {
        do {
            try check(result, expecting: [PGRES_COMMAND_OK, PGRES_TUPLES_OK])
        } catch {
            PQclear(result)
            throw error
        }
        return PostgresResult(result!)
    }

    /// Sends a prepared statement whose rows are then read one at a time with `nextRow()`, so a
    /// response can stream any number of rows in constant memory.
    public func streamPrepared(_ name: String, _ parameters: [String?], binary: Bool) throws(PostgresError) {
        let sent = withCStrings(parameters) { values in
            PQsendQueryPrepared(handle, name, Int32(values.count), values, nil, nil, binary ? 1 : 0)
        }
        guard sent == 1 else { throw failure() }
        guard PQsetSingleRowMode(handle) == 1 else { throw failure() }
    }

    /// The next row of a streamed statement, or nil when it has ended.
    public func nextRow() throws(PostgresError) -> PostgresResult? {
        while let result = PQgetResult(handle) {
            switch PQresultStatus(result) {
            case PGRES_SINGLE_TUPLE:
                return PostgresResult(result)
            case PGRES_TUPLES_OK:
                PQclear(result)
            default:
                let error = statementError(result)
                PQclear(result)
                drain()
                throw error
            }
        }
        return nil
    }

    /// Starts `COPY … FROM STDIN`; `putCopyData` then sends the data and `endCopyIn` ends it.
    public func beginCopyIn(_ sql: String) throws(PostgresError) {
        let start = PQexec(handle, sql)
        defer { PQclear(start) }
        try check(start, expecting: [PGRES_COPY_IN])
    }

    public func putCopyData(_ bytes: UnsafeRawBufferPointer) throws(PostgresError) {
        guard PQputCopyData(handle, bytes.baseAddress?.assumingMemoryBound(to: CChar.self), Int32(bytes.count)) == 1 else {
            throw failure()
        }
    }

    /// Ends the copy: with an `abortReason` the server discards everything sent and the statement fails.
    public func endCopyIn(abortReason: String? = nil) throws(PostgresError) {
        guard PQputCopyEnd(handle, abortReason) == 1 else { throw failure() }
        let end = PQgetResult(handle)
        defer {
            PQclear(end)
            drain()
        }
        if abortReason == nil { try check(end, expecting: [PGRES_COMMAND_OK]) }
    }

    private func drain() {
        while let rest = PQgetResult(handle) { PQclear(rest) }
    }

    private func check(_ result: OpaquePointer?, expecting accepted: [ExecStatusType]) throws(PostgresError) {
        guard let result else { throw failure() }
        let status = PQresultStatus(result)
        guard accepted.contains(status) else { throw statementError(result) }
    }

    /// A result without a SQLSTATE was made by libpq itself: the connection broke or the client failed.
    private func statementError(_ result: OpaquePointer) -> PostgresError {
        if PQstatus(handle) != CONNECTION_OK { return .connectionLost(Self.errorText(handle)) }
        let message = PQresultErrorField(result, Int32(UInt8(ascii: "M"))).map { String(cString: $0) }
            ?? String(cString: PQresultErrorMessage(result))
        guard let state = PQresultErrorField(result, Int32(UInt8(ascii: "C"))).map({ String(cString: $0) }) else {
            return .unexpectedResult(message)
        }
        return .statement(SQLState(rawValue: state), message: message)
    }

    private func failure() -> PostgresError {
        let message = Self.errorText(handle)
        return PQstatus(handle) == CONNECTION_OK ? .unexpectedResult(message) : .connectionLost(message)
    }

    private static func errorText(_ conn: OpaquePointer) -> String {
        String(cString: PQerrorMessage(conn)).split(separator: "\n").joined(separator: "; ")
    }

    /// libpq prints NOTICEs on stderr by default, which would break one-JSON-object-per-line logs.
    private func silenceNotices() {
        PQsetNoticeProcessor(handle, { _, _ in }, nil)
    }
}

private func withCStrings<R>(_ values: [String?], _ body: ([UnsafePointer<CChar>?]) -> R) -> R {
    let owned: [UnsafeMutablePointer<CChar>?] = values.map { $0.map { strdup($0) } ?? nil }
    defer { owned.forEach { free($0) } }
    return body(owned.map { UnsafePointer($0) })
}
