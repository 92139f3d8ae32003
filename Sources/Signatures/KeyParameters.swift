import CCrypto

/// Public keys from their numbers through OpenSSL 3's provider interface (EVP_PKEY_fromdata), the way
/// that replaces the deprecated RSA_* and EC_KEY_* setters.
///
/// OSSL_PARAM_BLD keeps pointers to the names and values it is given until OSSL_PARAM_BLD_to_param, so
/// the names are static C strings (Swift imports OpenSSL's name macros as Swift strings, whose C form
/// lives for one call only) and the values stay pinned until the parameters are built.
enum KeyParameters {
    /// EVP_PKEY_PUBLIC_KEY, a macro of macros that Swift does not import: the key's parameters and its
    /// public part.
    private static let publicKeySelection = OSSL_KEYMGMT_SELECT_DOMAIN_PARAMETERS | OSSL_KEYMGMT_SELECT_OTHER_PARAMETERS
        | OSSL_KEYMGMT_SELECT_PUBLIC_KEY

    static func rsa(modulus: [UInt8], exponent: [UInt8]) -> OpaquePointer? {
        guard let n = BN_bin2bn(modulus, Int32(modulus.count), nil) else { return nil }
        defer { BN_free(n) }
        guard let e = BN_bin2bn(exponent, Int32(exponent.count), nil) else { return nil }
        defer { BN_free(e) }
        return key(ofType: "RSA") { builder in
            guard OSSL_PARAM_BLD_push_BN(builder, cString("n"), n) == 1, OSSL_PARAM_BLD_push_BN(builder, cString("e"), e) == 1
            else { return nil }
            return OSSL_PARAM_BLD_to_param(builder)
        }
    }

    /// `point` is the uncompressed SEC 1 encoding: 0x04, x, y.
    static func ecP256(point: [UInt8]) -> OpaquePointer? {
        point.withUnsafeBufferPointer { point in
            key(ofType: "EC") { builder in
                guard OSSL_PARAM_BLD_push_utf8_string(builder, cString("group"), cString("prime256v1"), 0) == 1,
                      OSSL_PARAM_BLD_push_octet_string(builder, cString("pub"), point.baseAddress, point.count) == 1
                else { return nil }
                return OSSL_PARAM_BLD_to_param(builder)
            }
        }
    }

    /// `build` pushes the key's parameters and turns them into an OSSL_PARAM array while its values live.
    private static func key(ofType type: String, build: (OpaquePointer) -> UnsafeMutablePointer<OSSL_PARAM>?) -> OpaquePointer? {
        guard let builder = OSSL_PARAM_BLD_new() else { return nil }
        defer { OSSL_PARAM_BLD_free(builder) }
        guard let parameters = build(builder) else { return nil }
        defer { OSSL_PARAM_free(parameters) }
        guard let context = EVP_PKEY_CTX_new_from_name(nil, type, nil) else { return nil }
        defer { EVP_PKEY_CTX_free(context) }
        var key: OpaquePointer?
        guard EVP_PKEY_fromdata_init(context) == 1,
              EVP_PKEY_fromdata(context, &key, publicKeySelection, parameters) == 1 else { return nil }
        return key
    }

    /// A string literal's bytes, NUL-terminated and in the binary for the life of the process.
    private static func cString(_ literal: StaticString) -> UnsafePointer<CChar> {
        UnsafeRawPointer(literal.utf8Start).assumingMemoryBound(to: CChar.self)
    }
}
