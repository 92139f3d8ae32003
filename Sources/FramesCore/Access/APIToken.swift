/// An API key's token: `frames_<key id>_<secret><checksum>`.
///
/// - The fixed `frames_` prefix lets secret scanners find leaked tokens.
/// - The key id (10 random bytes, 16 symbols) names the key's row; it is not secret and shows in
///   `frames-admin keys list` and in logs.
/// - The secret is 32 bytes (256 bits) from the kernel, 52 symbols. Only its SHA-256 is stored.
/// - The checksum, 7 symbols, is the CRC-32 of everything before it, so a mistyped or truncated token is
///   refused before any database query.
///
/// The text is only reachable through `text`, once, when the key is created or rotated: the type's
/// descriptions show the key id alone, so interpolating a token into a log line cannot leak it.
public struct APIToken: Sendable, Equatable {
    public static let prefix = "frames_"
    public static let keyIDByteCount = 10
    public static let secretByteCount = 32
    static let keyIDLength = Base32.encodedLength(ofBytes: keyIDByteCount)
    static let secretLength = Base32.encodedLength(ofBytes: secretByteCount)
    static let checksumLength = Base32.encodedLength(ofBytes: 4)
    /// The whole token's length; anything longer or shorter is malformed.
    public static let length = prefix.utf8.count + keyIDLength + 1 + secretLength + checksumLength

    /// The key id as it is stored and shown: 16 base32 symbols.
    public let keyID: String
    /// The 32 random bytes; `storedHash` is what the database keeps.
    public let secret: [UInt8]
    /// What the database stores in place of the secret (`KeySecretHash`), computed once with the token.
    public let storedHash: [UInt8]
    /// The CRC-32 of the text before it, most significant byte first.
    private let checksum: [UInt8]

    /// A token from fresh random bytes (the caller reads them from the kernel).
    public init(keyIDBytes: [UInt8], secret: [UInt8], hashes: some HashFunctions) {
        precondition(keyIDBytes.count == Self.keyIDByteCount && secret.count == Self.secretByteCount)
        self.init(unsignedKeyID: String(decoding: Base32.encode(keyIDBytes), as: UTF8.self), secret: secret, hashes: hashes)
    }

    /// The same key id with a new secret: what a rotation hands out.
    public init(keyID: String, secret: [UInt8], hashes: some HashFunctions) throws(APITokenError) {
        guard Self.isKeyID(keyID), secret.count == Self.secretByteCount else { throw .malformed }
        self.init(unsignedKeyID: keyID, secret: secret, hashes: hashes)
    }

    /// Reads a token as a client sent it. Checks the shape and the checksum only: whether the key exists,
    /// and whether the secret is its secret, is the key store's business.
    public init(parsing text: some StringProtocol, hashes: some HashFunctions) throws(APITokenError) {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty else { throw .missing }
        let prefix = Array(Self.prefix.utf8)
        guard bytes.count == Self.length, bytes.starts(with: prefix) else { throw .malformed }
        let keyEnd = prefix.count + Self.keyIDLength
        let secretStart = keyEnd + 1
        let checksumStart = secretStart + Self.secretLength
        guard bytes[keyEnd] == UInt8(ascii: "_"),
              Base32.decode(bytes[prefix.count..<keyEnd], byteCount: Self.keyIDByteCount) != nil,
              let secret = Base32.decode(bytes[secretStart..<checksumStart], byteCount: Self.secretByteCount),
              let checksum = Base32.decode(bytes[checksumStart...], byteCount: 4)
        else { throw .malformed }
        guard checksum == Self.checksum(of: Array(bytes[..<checksumStart]), hashes) else { throw .badChecksum }
        self.init(keyID: String(decoding: bytes[prefix.count..<keyEnd], as: UTF8.self), secret: secret,
                  checksum: checksum, hashes: hashes)
    }

    /// A well-formed key id and secret that have no checksum yet.
    private init(unsignedKeyID keyID: String, secret: [UInt8], hashes: some HashFunctions) {
        self.init(keyID: keyID, secret: secret, checksum: Self.checksum(of: Self.body(keyID: keyID, secret: secret), hashes),
                  hashes: hashes)
    }

    private init(keyID: String, secret: [UInt8], checksum: [UInt8], hashes: some HashFunctions) {
        self.keyID = keyID
        self.secret = secret
        self.checksum = checksum
        storedHash = KeySecretHash.of(secret, using: hashes)
    }

    /// The token as the client must send it. Print it once; never log it.
    public var text: String {
        String(decoding: Self.body(keyID: keyID, secret: secret) + Base32.encode(checksum), as: UTF8.self)
    }

    /// Whether `text` is a key id's spelling: lets the admin tool and the store refuse garbage early.
    public static func isKeyID(_ text: String) -> Bool {
        Base32.decode(Array(text.utf8), byteCount: keyIDByteCount) != nil
    }

    /// The text before the checksum.
    private static func body(keyID: String, secret: [UInt8]) -> [UInt8] {
        Array(prefix.utf8) + Array(keyID.utf8) + [UInt8(ascii: "_")] + Base32.encode(secret)
    }

    private static func checksum(of body: [UInt8], _ hashes: some HashFunctions) -> [UInt8] {
        let crc = hashes.crc32(body)
        return [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: crc >> UInt32($0)) }
    }
}

extension APIToken: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String { "API token for key \(keyID)" }
    public var debugDescription: String { description }
    /// `dump` and the test frameworks' failure messages print what this says, not the stored bytes.
    public var customMirror: Mirror { Mirror(self, children: ["keyID": keyID]) }
}

/// Why a presented token was refused before any lookup. The descriptions never quote the token.
public enum APITokenError: Error, Equatable, Sendable, CustomStringConvertible {
    case missing
    case malformed
    case badChecksum

    public var description: String {
        switch self {
        case .missing: return "no API token"
        case .malformed:
            return "the API token is malformed: expected \(APIToken.prefix) and \(APIToken.length - APIToken.prefix.count) more letters and digits"
        case .badChecksum: return "the API token's checksum does not match: it was mistyped or cut short"
        }
    }
}
