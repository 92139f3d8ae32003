import CCrypto

/// ES256 signatures as JWS writes them (RFC 7518 §3.4: r and s, 32 big-endian bytes each) and as
/// libcrypto reads them (a DER ECDSA-Sig-Value), converted by libcrypto's own encoder.
enum ECDSASignature {
    static let joseByteCount = 64

    static func der(fromJOSE signature: [UInt8]) -> [UInt8]? {
        guard signature.count == joseByteCount, let value = ECDSA_SIG_new() else { return nil }
        defer { ECDSA_SIG_free(value) }
        let half = joseByteCount / 2
        guard let r = BN_bin2bn(Array(signature[..<half]), Int32(half), nil) else { return nil }
        guard let s = BN_bin2bn(Array(signature[half...]), Int32(half), nil) else {
            BN_free(r)
            return nil
        }
        // On success the signature value owns r and s.
        guard ECDSA_SIG_set0(value, r, s) == 1 else {
            BN_free(r)
            BN_free(s)
            return nil
        }
        let length = i2d_ECDSA_SIG(value, nil)
        guard length > 0 else { return nil }
        var der = [UInt8](repeating: 0, count: Int(length))
        let written = der.withUnsafeMutableBufferPointer { buffer in
            var cursor = buffer.baseAddress
            return i2d_ECDSA_SIG(value, &cursor)
        }
        return written == length ? der : nil
    }
}
