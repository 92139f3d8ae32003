import Digests
import FramesCore

/// Whom a request counts against in the pool's shared rate table: an API key, or an access token's
/// subject at its issuer. `id` finds the slot (at most 16 bytes are compared), `name` labels its counts
/// in `frames_keys.prom`.
struct RateSubject: Equatable {
    var id: String
    var name: String

    init(id: String, name: String) {
        self.id = id
        self.name = name
    }

    /// A token's subject gets a stable id from its issuer and `sub`, the same in every worker. A key id is
    /// base32 (no `~`), so the two kinds never share a slot; 60 bits of SHA-256 keep subjects apart.
    init(grant: AccessGrant) {
        let digest = SystemHashes().sha256(Array((grant.issuer + "\u{0}" + grant.subject).utf8))
        id = "~" + digest.prefix(8).hexString.prefix(15)
        name = "sub:" + grant.subject
    }
}
