/// Failures of the PostgreSQL client, split the way callers must react to them: a server that cannot
/// be reached is worth trying again later, a statement the server rejected is not.
public enum PostgresError: Error, Equatable, CustomStringConvertible {
    /// No connection could be opened (every host of the conninfo refused or timed out).
    case connectionFailed(String)
    /// An open connection broke: the server restarted, a network path died, a shutdown was requested.
    case connectionLost(String)
    /// The server answered a statement with an error.
    case statement(SQLState, message: String)
    /// The server's answer was not what the statement promises (no row where one is certain).
    case unexpectedResult(String)

    /// The connection is unusable: a new one (perhaps to another host of the conninfo) is the way on.
    public var isConnectionProblem: Bool {
        switch self {
        case .connectionFailed, .connectionLost: true
        case .statement(let state, _):
            state.errorClass == SQLState.connectionExceptionClass
                || [.adminShutdown, .crashShutdown, .cannotConnectNow].contains(state)
        case .unexpectedResult: false
        }
    }

    /// Nothing in the work was wrong and the same work may succeed later: the server was unreachable,
    /// out of resources (disk full), busy (a lock, a deadlock, a serialization conflict) or too slow
    /// (`statement_timeout`). Ingests exit 75 and web requests answer 503 on these.
    public var isTransient: Bool {
        if isConnectionProblem { return true }
        guard let state = sqlState else { return false }
        return state.errorClass == SQLState.insufficientResourcesClass
            || [.queryCanceled, .lockNotAvailable, .serializationFailure, .deadlockDetected].contains(state)
    }

    /// The SQLSTATE of a rejected statement; nil for the other cases.
    public var sqlState: SQLState? {
        if case .statement(let state, _) = self { return state }
        return nil
    }

    public var description: String {
        switch self {
        case .connectionFailed(let message): "database unavailable: \(message)"
        case .connectionLost(let message): "database unavailable: connection lost: \(message)"
        case .statement(let state, let message): "database error \(state): \(message)"
        case .unexpectedResult(let message): "unexpected database answer: \(message)"
        }
    }
}
