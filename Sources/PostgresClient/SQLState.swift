/// A five-character SQLSTATE as the server reports it (PostgreSQL's Appendix A). The codes the
/// project reacts to have names; any other code still travels unchanged in `PostgresError.statement`.
public struct SQLState: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }

    public var description: String { rawValue }

    /// The first two characters: the class the code belongs to.
    public var errorClass: Substring { rawValue.prefix(2) }

    /// Class 08: the connection is gone or never came up.
    public static let connectionExceptionClass: Substring = "08"
    /// Class 22: a value the statement cannot use, such as a date that does not exist.
    public static let dataExceptionClass: Substring = "22"
    /// Class 53: the server ran out of disk, memory or connections.
    public static let insufficientResourcesClass: Substring = "53"

    public static let connectionFailure = SQLState(rawValue: "08006")
    public static let diskFull = SQLState(rawValue: "53100")
    public static let uniqueViolation = SQLState(rawValue: "23505")
    public static let foreignKeyViolation = SQLState(rawValue: "23503")
    public static let undefinedTable = SQLState(rawValue: "42P01")
    /// `statement_timeout` or a cancel request ended the statement.
    public static let queryCanceled = SQLState(rawValue: "57014")
    public static let lockNotAvailable = SQLState(rawValue: "55P03")
    public static let serializationFailure = SQLState(rawValue: "40001")
    public static let deadlockDetected = SQLState(rawValue: "40P01")
    /// The server is shutting down or restarting (class 57P).
    public static let adminShutdown = SQLState(rawValue: "57P01")
    public static let crashShutdown = SQLState(rawValue: "57P02")
    public static let cannotConnectNow = SQLState(rawValue: "57P03")
}
