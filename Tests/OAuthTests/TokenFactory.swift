import FramesCore

/// Base64url without padding, from the project's base64 encoder: only tests write tokens.
func base64URL(_ bytes: some Collection<UInt8>) -> String {
    var encoded: [UInt8] = []
    Base64.append(Array(bytes), to: &encoded)
    let url = encoded.compactMap { byte -> UInt8? in
        switch byte {
        case UInt8(ascii: "+"): UInt8(ascii: "-")
        case UInt8(ascii: "/"): UInt8(ascii: "_")
        case UInt8(ascii: "="): nil
        default: byte
        }
    }
    return String(decoding: url, as: UTF8.self)
}

func base64URL(_ text: String) -> String { base64URL(Array(text.utf8)) }

/// Compact JWS tokens as an identity provider would issue them, with any header and claims a test needs.
struct TokenFactory {
    static let issuer = "https://idp.example.org/realms/frames"
    static let audience = "frames-api"
    static let now = 1_800_000_000.0

    /// The claims of a good token at `now`, as JSON members; `replacing` overrides or (with nil) removes some.
    static func claims(_ replacing: [String: String?] = [:]) -> String {
        var members: [(String, String)] = [
            ("iss", #""\#(issuer)""#), ("aud", #"["\#(audience)","account"]"#), ("exp", "\(Int(now) + 300)"),
            ("iat", "\(Int(now) - 10)"), ("nbf", "\(Int(now) - 10)"), ("sub", #""user-1""#),
            ("scope", #""openid frames:read""#),
        ]
        for (name, value) in replacing {
            members.removeAll { $0.0 == name }
            if let value { members.append((name, value)) }
        }
        return "{" + members.map { #""\#($0.0)":\#($0.1)"# }.joined(separator: ",") + "}"
    }

    static func header(_ algorithm: String, keyID: String?) -> String {
        #"{"alg":"\#(algorithm)","typ":"at+jwt"\#(keyID.map { #","kid":"\#($0)""# } ?? "")}"#
    }

    /// A token signed by `key` with `algorithm`.
    static func token(_ key: TestSigningKey, _ algorithm: JWSAlgorithm, claims: String = claims()) -> String {
        let input = base64URL(header(algorithm.rawValue, keyID: key.keyID)) + "." + base64URL(claims)
        return input + "." + base64URL(key.sign(Array(input.utf8), algorithm))
    }
}
