import FramesCore
import PostgresClient

/// The API keys: created, listed, revoked and rotated by `frames-admin` (as the admin role), looked up
/// and marked as used by the workers (as the reader role, through APIKeySchema's functions only).
/// The store sees tokens only for their secrets' hashes; no token text reaches the database.
public struct KeyStore {
    /// One key as an administrator sees it. Times are UTC, to the minute (`2026-11-27T09:30Z`).
    public struct Entry: Equatable, Sendable {
        public var name: String
        public var keyID: String
        /// nil: every dataset.
        public var datasets: [String]?
        public var rate: Double?
        public var burst: Int?
        public var createdAt: String
        public var expiresAt: String?
        public var revokedAt: String?
        public var lastUsedAt: String?
        /// Until when the token from before the last rotation still works.
        public var previousValidUntil: String?
    }

    /// What `create` sets besides the name.
    public struct Settings: Equatable, Sendable {
        public var datasets: [String]?
        public var rate: Double?
        public var burst: Int?
        /// RFC 3339 in UTC (`2027-01-31T00:00:00Z`); nil: never.
        public var expiresAt: String?

        public init(datasets: [String]? = nil, rate: Double? = nil, burst: Int? = nil, expiresAt: String? = nil) {
            self.datasets = datasets
            self.rate = rate
            self.burst = burst
            self.expiresAt = expiresAt
        }
    }

    public enum Failure: Error, Equatable, CustomStringConvertible {
        case noSuchKey(String)
        case nameTaken(String)
        case revoked(String)
        case expiryNotInFuture(String)
        case expiryNotADate(String)
        case database(PostgresError)

        public var description: String {
            switch self {
            case .noSuchKey(let name): return "no API key named \(name)"
            case .nameTaken(let name): return "an API key named \(name) already exists: revoke or rotate it, or choose another name"
            case .revoked(let name): return "the API key \(name) is revoked: create a key under another name instead"
            case .expiryNotInFuture(let date): return "the expiry \(date) is not in the future"
            case .expiryNotADate(let date): return "the expiry \(date) is not a date and time"
            case .database(let error): return error.description
            }
        }
    }

    let connection: PostgresConnection

    public init(connection: PostgresConnection) {
        self.connection = connection
    }

    /// Dataset names travel as one text parameter split on the unit separator, which no name contains.
    private static let separator = "\u{1F}"

    private static let columns = """
        name, key_id, array_to_string(datasets, E'\\x1f'), rate, burst, \(minute("created_at")), \(minute("expires_at")),
        \(minute("revoked_at")), \(minute("last_used_at")), \(minute("previous_valid_until"))
        """

    private static func minute(_ column: String) -> String {
        "to_char(\(column) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI\"Z\"')"
    }

    /// Stores a new key under `token`'s key id and its secret's hash.
    @discardableResult
    public func create(name: String, settings: Settings, token: APIToken) throws(Failure) -> Entry {
        if let expiresAt = settings.expiresAt {
            let inFuture: Bool
            do {
                inFuture = try connection.query("SELECT $1::timestamptz > now()", [expiresAt]).string(0, 0) == "t"
            } catch {
                // A day like February 30th, which only the server's date parser knows.
                throw error.sqlState?.errorClass == SQLState.dataExceptionClass ? .expiryNotADate(expiresAt) : .database(error)
            }
            guard inFuture else { throw .expiryNotInFuture(expiresAt) }
        }
        do throws(PostgresError) {
            let result = try connection.query("""
                INSERT INTO api_keys (name, key_id, secret_hash, datasets, rate, burst, expires_at)
                VALUES ($1, $2, decode($3, 'hex'), string_to_array($4, E'\\x1f'), $5, $6, $7::timestamptz)
                RETURNING \(Self.columns)
                """, [name, token.keyID, token.storedHash.hexString, settings.datasets?.joined(separator: Self.separator),
                      settings.rate.map { String($0) }, settings.burst.map { String($0) }, settings.expiresAt])
            return Self.entry(result, 0)
        } catch {
            throw error.sqlState == .uniqueViolation ? .nameTaken(name) : .database(error)
        }
    }

    public func list() throws(Failure) -> [Entry] {
        let result = try run("SELECT \(Self.columns) FROM api_keys ORDER BY name")
        return (0..<result.rowCount).map { Self.entry(result, $0) }
    }

    public func entry(named name: String) throws(Failure) -> Entry {
        let result = try run("SELECT \(Self.columns) FROM api_keys WHERE name = $1", [name])
        guard result.rowCount == 1 else { throw .noSuchKey(name) }
        return Self.entry(result, 0)
    }

    /// Marks the key revoked now. Returns the entry and whether this call revoked it (false: it already was).
    public func revoke(name: String) throws(Failure) -> (entry: Entry, revokedNow: Bool) {
        let result = try run("""
            UPDATE api_keys SET revoked_at = now() WHERE name = $1 AND revoked_at IS NULL RETURNING \(Self.columns)
            """, [name])
        if result.rowCount == 1 { return (Self.entry(result, 0), true) }
        return (try entry(named: name), false)
    }

    /// Gives the key a new secret under the same key id. The secret it had stays valid for `graceSeconds`
    /// (0: not at all); the one from an earlier rotation, if still in its grace period, stops now.
    /// `hashes` give the new secret's stored hash and the new token's checksum.
    public func rotate(name: String, newSecret: [UInt8], graceSeconds: Int,
                       hashes: some HashFunctions) throws(Failure) -> (entry: Entry, token: APIToken) {
        let newHash = KeySecretHash.of(newSecret, using: hashes).hexString
        let result = try run("""
            UPDATE api_keys SET
                previous_secret_hash = CASE WHEN $3::integer > 0 THEN secret_hash END,
                previous_valid_until = CASE WHEN $3::integer > 0 THEN now() + make_interval(secs => $3::integer) END,
                secret_hash = decode($2, 'hex')
            WHERE name = $1 AND revoked_at IS NULL
            RETURNING \(Self.columns)
            """, [name, newHash, String(graceSeconds)])
        guard result.rowCount == 1 else {
            _ = try entry(named: name)
            throw .revoked(name)
        }
        let entry = Self.entry(result, 0)
        do {
            return (entry, try APIToken(keyID: entry.keyID, secret: newSecret, hashes: hashes))
        } catch {
            preconditionFailure("the database holds a key id the api_keys CHECK should have refused")
        }
    }

    /// What a worker needs to check a token for `keyID`; nil when no key has that id.
    public func credentials(keyID: String) throws(Failure) -> KeyCredentials? {
        let result = try run("""
            SELECT name, encode(secret_hash, 'hex'), encode(previous_secret_hash, 'hex'), previous_valid_until,
                   array_to_string(datasets, E'\\x1f'), rate, burst, expires_at, revoked_at
            FROM frames_key_lookup($1)
            """, [keyID])
        guard result.rowCount == 1 else { return nil }
        func hash(_ column: Int) -> [UInt8]? { result.string(0, column).flatMap { [UInt8](hexString: $0) } }
        func seconds(_ column: Int) -> Double? { result.string(0, column).flatMap { Double($0) } }
        return KeyCredentials(
            name: result.string(0, 0) ?? "", keyID: keyID, secretHash: hash(1) ?? [],
            previousSecretHash: hash(2), previousValidUntil: seconds(3), datasets: Self.datasets(result.string(0, 4)),
            rate: seconds(5), burst: result.string(0, 6).flatMap { Int($0) }, expiresAt: seconds(7), revokedAt: seconds(8))
    }

    /// Sets the key's `last_used_at` to this minute. Callers go through KeyUseRecorder, to write at most
    /// once a minute per key.
    public func recordUse(keyID: String) throws(Failure) {
        _ = try run("SELECT frames_key_used($1)", [keyID])
    }

    private func run(_ sql: String, _ parameters: [String?] = []) throws(Failure) -> PostgresResult {
        do {
            return try connection.query(sql, parameters)
        } catch {
            throw .database(error)
        }
    }

    private static func datasets(_ joined: String?) -> [String]? {
        joined.map { $0.split(separator: Character(separator)).map(String.init) }
    }

    private static func entry(_ result: PostgresResult, _ row: Int) -> Entry {
        Entry(name: result.string(row, 0) ?? "", keyID: result.string(row, 1) ?? "",
              datasets: datasets(result.string(row, 2)), rate: result.string(row, 3).flatMap { Double($0) },
              burst: result.string(row, 4).flatMap { Int($0) }, createdAt: result.string(row, 5) ?? "",
              expiresAt: result.string(row, 6), revokedAt: result.string(row, 7), lastUsedAt: result.string(row, 8),
              previousValidUntil: result.string(row, 9))
    }
}
