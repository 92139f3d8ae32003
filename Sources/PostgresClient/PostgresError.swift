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

    /// True when nothing in the request was wrong and the same work may succeed on another attempt.
    public var isUnavailable: Bool {
        switch self {
        case .connectionFailed, .connectionLost: true
        case .statement(let state, _):
            state == .adminShutdown || state == .cannotConnectNow || state.isConnectionException
        case .unexpectedResult: false
        }
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
