/// Failures of the PostgreSQL client, split the way callers must react to them: an unreachable server
/// is worth retrying later, a rejected statement is not.
public enum PostgresError: Error, Equatable, CustomStringConvertible {
    /// The server could not be reached, or the connection broke.
    case unavailable(String)
    /// The server answered with an error (SQLSTATE and message).
    case statement(sqlState: String, message: String)

    public var description: String {
        switch self {
        case .unavailable(let message): return "database unavailable: \(message)"
        case .statement(let state, let message): return "database error \(state): \(message)"
        }
    }
}
