/// What a loader asks of a connection: statements, queries and a COPY in. The bulk loader and the
/// versions ledger take this rather than `PostgresConnection`, so that tests can drive them against a
/// connection that records what it was sent.
public protocol SQLConnection: AnyObject {
    func execute(_ sql: String) throws(PostgresError)
    func query(_ sql: String, _ parameters: [String?], binary: Bool) throws(PostgresError) -> PostgresResult
    func beginCopyIn(_ sql: String) throws(PostgresError)
    func putCopyData(_ bytes: UnsafeRawBufferPointer) throws(PostgresError)
    /// With an `abortReason` the server discards everything sent and the statement fails.
    func endCopyIn(abortReason: String?) throws(PostgresError)
}

extension SQLConnection {
    public func query(_ sql: String, _ parameters: [String?] = []) throws(PostgresError) -> PostgresResult {
        try query(sql, parameters, binary: false)
    }

    public func endCopyIn() throws(PostgresError) { try endCopyIn(abortReason: nil) }
}

extension PostgresConnection: SQLConnection {}
