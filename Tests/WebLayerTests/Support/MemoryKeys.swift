@testable import FastCGICommand
import Digests
import FramesCore

/// API keys in memory, counting the lookups the authenticator makes.
final class MemoryKeys: KeySource {
    private var keys: [String: KeyCredentials] = [:]
    private(set) var lookups = 0
    private(set) var usesRecorded = 0

    /// A new key and the token that presents it.
    func make(name: String, datasets: [String]? = nil, rate: Double? = nil, burst: Int? = nil,
              revoked: Bool = false) -> APIToken {
        let index = UInt8(keys.count + 1)
        let token = APIToken(keyIDBytes: [UInt8](repeating: index, count: APIToken.keyIDByteCount),
                             secret: [UInt8](repeating: index &* 7, count: APIToken.secretByteCount), hashes: SystemHashes())
        keys[token.keyID] = KeyCredentials(name: name, keyID: token.keyID, secretHash: token.storedHash, datasets: datasets,
                                           rate: rate, burst: burst, revokedAt: revoked ? 1 : nil)
        return token
    }

    func credentials(keyID: String) throws(RequestError) -> KeyCredentials? {
        lookups += 1
        return keys[keyID]
    }

    func recordUse(keyID: String) throws(RequestError) {
        usesRecorded += 1
    }
}
