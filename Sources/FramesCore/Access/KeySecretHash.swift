/// How a key's secret is stored and checked.
///
/// Plain SHA-256, not HMAC with a server secret and not a password hash: the secret is 256 random bits,
/// so a stolen hash cannot be turned back into it by guessing, which is all a pepper or a slow hash
/// would guard against. A pepper would be one more secret to hand every worker and the admin tool, and
/// losing it would void every key; bcrypt or argon2 would cost each request tens of milliseconds.
public enum KeySecretHash {
    public static func of(_ secret: [UInt8], using hashes: some HashFunctions) -> [UInt8] { hashes.sha256(secret) }

    /// Whether `token`'s secret hashes to `stored`, in time that depends on the lengths alone, so that
    /// response times do not tell a guesser how many leading bytes of the hash were right.
    public static func matches(_ token: APIToken, stored: [UInt8]) -> Bool {
        ConstantTime.equal(token.storedHash, stored)
    }
}

public enum ConstantTime {
    /// Byte-wise equality that reads every byte whatever it finds: no early exit.
    public static func equal(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}
