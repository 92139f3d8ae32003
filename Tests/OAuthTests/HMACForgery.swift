import CCrypto

/// HMAC-SHA256 from libcrypto, for the classic forgery: an HS256 token whose "secret" is the provider's
/// public key, which a verifier that trusts the header's `alg` would accept.
func hmacSHA256(key: [UInt8], data: [UInt8]) -> [UInt8] {
    let mac = EVP_MAC_fetch(nil, "HMAC", nil)!
    defer { EVP_MAC_free(mac) }
    let context = EVP_MAC_CTX_new(mac)!
    defer { EVP_MAC_CTX_free(context) }
    var digestName = Array("SHA256".utf8CString)
    let parameters = digestName.withUnsafeMutableBufferPointer { name in
        [OSSL_PARAM_construct_utf8_string("digest", name.baseAddress, 0), OSSL_PARAM_construct_end()]
    }
    var output = [UInt8](repeating: 0, count: 32)
    var length = 0
    precondition(EVP_MAC_init(context, key, key.count, parameters) == 1
        && EVP_MAC_update(context, data, data.count) == 1
        && EVP_MAC_final(context, &output, &length, output.count) == 1 && length == 32)
    return output
}
