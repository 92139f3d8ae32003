import CCrypto
import FramesCore

/// A key pair made in libcrypto for one test run, playing the identity provider: it signs tokens and
/// publishes its public half as a JWK.
final class TestSigningKey: @unchecked Sendable {
    enum Kind { case rsa, p256, ed25519 }

    let kind: Kind
    let keyID: String
    private let key: OpaquePointer

    init(_ kind: Kind, keyID: String) {
        self.kind = kind
        self.keyID = keyID
        switch kind {
        case .rsa: key = Self.generate("RSA") { EVP_PKEY_CTX_set_rsa_keygen_bits($0, 2048) }
        case .p256: key = Self.generate("EC") { EVP_PKEY_CTX_set_group_name($0, "P-256") }
        case .ed25519: key = Self.generate("ED25519") { _ in 1 }
        }
    }

    deinit { EVP_PKEY_free(key) }

    /// The public half as a JWK object's JSON; `extra` adds members such as `"alg":"RS256"`.
    func jwk(extra: String = "") -> String {
        let members: String
        switch kind {
        case .rsa:
            members = #""kty":"RSA","n":"\#(base64URL(bigNumber("n")))","e":"\#(base64URL(bigNumber("e")))""#
        case .p256:
            let point = octets("pub")
            members = #""kty":"EC","crv":"P-256","x":"\#(base64URL(point[1...32]))","y":"\#(base64URL(point[33...]))""#
        case .ed25519:
            var raw = [UInt8](repeating: 0, count: 32)
            var length = raw.count
            precondition(EVP_PKEY_get_raw_public_key(key, &raw, &length) == 1)
            members = #""kty":"OKP","crv":"Ed25519","x":"\#(base64URL(raw))""#
        }
        return #"{"kid":"\#(keyID)",\#(members)\#(extra.isEmpty ? "" : "," + extra)}"#
    }

    /// The JWS signature of `input` with `algorithm` (r||s for ES256).
    func sign(_ input: [UInt8], _ algorithm: JWSAlgorithm) -> [UInt8] {
        let context = EVP_MD_CTX_new()!
        defer { EVP_MD_CTX_free(context) }
        var keyContext: OpaquePointer?
        precondition(EVP_DigestSignInit_ex(context, &keyContext, algorithm == .edDSA ? nil : "SHA256", nil, nil, key, nil) == 1)
        if algorithm == .ps256 {
            precondition(EVP_PKEY_CTX_set_rsa_padding(keyContext, RSA_PKCS1_PSS_PADDING) == 1
                && EVP_PKEY_CTX_set_rsa_mgf1_md_name(keyContext, "SHA256", nil) == 1
                && EVP_PKEY_CTX_set_rsa_pss_saltlen(keyContext, 32) == 1)
        }
        var length = 0
        precondition(EVP_DigestSign(context, nil, &length, input, input.count) == 1)
        var signature = [UInt8](repeating: 0, count: length)
        precondition(EVP_DigestSign(context, &signature, &length, input, input.count) == 1)
        signature.removeLast(signature.count - length)
        return algorithm == .es256 ? Self.rawECDSA(fromDER: signature) : signature
    }

    private static func generate(_ type: String, configure: (OpaquePointer) -> Int32) -> OpaquePointer {
        let context = EVP_PKEY_CTX_new_from_name(nil, type, nil)!
        defer { EVP_PKEY_CTX_free(context) }
        precondition(EVP_PKEY_keygen_init(context) == 1 && configure(context) == 1)
        var key: OpaquePointer?
        precondition(EVP_PKEY_generate(context, &key) == 1)
        return key!
    }

    private func bigNumber(_ name: String) -> [UInt8] {
        var number: OpaquePointer?
        precondition(EVP_PKEY_get_bn_param(key, name, &number) == 1)
        defer { BN_free(number) }
        var bytes = [UInt8](repeating: 0, count: (Int(BN_num_bits(number)) + 7) / 8)
        BN_bn2bin(number, &bytes)
        return bytes
    }

    private func octets(_ name: String) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: 65)
        var length = 0
        precondition(EVP_PKEY_get_octet_string_param(key, name, &bytes, bytes.count, &length) == 1 && length == 65)
        return bytes
    }

    private static func rawECDSA(fromDER der: [UInt8]) -> [UInt8] {
        let value = der.withUnsafeBufferPointer { buffer in
            var cursor = buffer.baseAddress
            return d2i_ECDSA_SIG(nil, &cursor, der.count)
        }!
        defer { ECDSA_SIG_free(value) }
        var raw = [UInt8](repeating: 0, count: 64)
        raw.withUnsafeMutableBufferPointer { buffer in
            precondition(BN_bn2binpad(ECDSA_SIG_get0_r(value), buffer.baseAddress, 32) == 32
                && BN_bn2binpad(ECDSA_SIG_get0_s(value), buffer.baseAddress! + 32, 32) == 32)
        }
        return raw
    }
}

extension TestSigningKey {
    /// A token that names a key nobody has, signed with nothing that matters: what a flood of junk looks like.
    struct Junk {
        let token: String

        init(keyID: String) {
            token = base64URL(TokenFactory.header("ES256", keyID: keyID)) + "." + base64URL(TokenFactory.claims()) + "."
                + base64URL([UInt8](repeating: 7, count: 64))
        }
    }
}
