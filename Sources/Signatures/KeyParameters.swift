import CCrypto

/// Public keys from their numbers through OpenSSL 3's provider interface (EVP_PKEY_fromdata), the way
/// that replaces the deprecated RSA_* and EC_KEY_* setters.
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
            OSSL_PARAM_BLD_push_BN(builder, OSSL_PKEY_PARAM_RSA_N, n) == 1 && OSSL_PARAM_BLD_push_BN(builder, OSSL_PKEY_PARAM_RSA_E, e) == 1
        }
    }

    /// `point` is the uncompressed SEC 1 encoding: 0x04, x, y.
    static func ecP256(point: [UInt8]) -> OpaquePointer? {
        key(ofType: "EC") { builder in
            OSSL_PARAM_BLD_push_utf8_string(builder, OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) == 1
                && OSSL_PARAM_BLD_push_octet_string(builder, OSSL_PKEY_PARAM_PUB_KEY, point, point.count) == 1
        }
    }

    private static func key(ofType type: String, parameters push: (OpaquePointer) -> Bool) -> OpaquePointer? {
        guard let builder = OSSL_PARAM_BLD_new() else { return nil }
        defer { OSSL_PARAM_BLD_free(builder) }
        guard push(builder), let parameters = OSSL_PARAM_BLD_to_param(builder) else { return nil }
        defer { OSSL_PARAM_free(parameters) }
        guard let context = EVP_PKEY_CTX_new_from_name(nil, type, nil) else { return nil }
        defer { EVP_PKEY_CTX_free(context) }
        var key: OpaquePointer?
        guard EVP_PKEY_fromdata_init(context) == 1,
              EVP_PKEY_fromdata(context, &key, publicKeySelection, parameters) == 1 else { return nil }
        return key
    }
}
