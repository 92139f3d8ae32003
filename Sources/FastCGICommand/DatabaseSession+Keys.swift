import FramesCore
import FrameStore
import PostgresClient

/// API keys, through the key functions on the session's connection.
extension DatabaseSession: KeySource {
    func credentials(keyID: String) throws(RequestError) -> KeyCredentials? {
        try run { readers throws(PostgresError) in
            try Self.statement { () throws(KeyStore.Failure) in try readers.keys.credentials(keyID: keyID) }
        }
    }

    func recordUse(keyID: String) throws(RequestError) {
        try run { readers throws(PostgresError) in
            try Self.statement { () throws(KeyStore.Failure) in try readers.keys.recordUse(keyID: keyID) }
        }
    }

    /// A lookup's failure as the database error it wraps, so that `run` can reconnect and retry.
    private static func statement<T>(_ body: () throws(KeyStore.Failure) -> T) throws(PostgresError) -> T {
        do {
            return try body()
        } catch {
            guard case .database(let cause) = error else { throw .unexpectedResult(error.description) }
            throw cause
        }
    }
}
