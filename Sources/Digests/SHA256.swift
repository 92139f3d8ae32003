import CCrypto

/// SHA-256 from the system's libcrypto (OpenSSL 3), streaming: content hashes of files and rows, and
/// API-key secrets.
///
/// Why libcrypto rather than swift-crypto or a hash of our own: libpq already loads it into every
/// binary, so it adds no code, and a Debian security update reaches it without a rebuild. swift-crypto
/// would vendor BoringSSL (a minute more per build on two cores, and out of Debian's updates); a
/// hand-written hash is security code that nobody else reviews.
public struct SHA256: ~Copyable {
    public static let byteCount = 32

    /// Fetched once: given `EVP_sha256()`, OpenSSL 3 would look the algorithm up in its provider store,
    /// under a lock, at every init, that is for every row an ingest's threads hash. A fetched EVP_MD is
    /// read-only, which OpenSSL documents as safe to share between threads; it lives as long as the process.
    private nonisolated(unsafe) static let algorithm = EVP_MD_fetch(nil, "SHA256", nil)

    private let context: OpaquePointer

    public init() {
        guard let context = EVP_MD_CTX_new(), EVP_DigestInit_ex(context, Self.algorithm, nil) == 1 else {
            // Only an allocation failure or a libcrypto without SHA-256 gets here: nothing to go on with.
            fatalError("libcrypto cannot start a SHA-256 digest")
        }
        self.context = context
    }

    deinit { EVP_MD_CTX_free(context) }

    public static func hash(_ bytes: [UInt8]) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(bytes)
        return hasher.finalize()
    }

    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard let start = bytes.baseAddress else { return }
        guard EVP_DigestUpdate(context, start, bytes.count) == 1 else { fatalError("libcrypto refused SHA-256 input") }
    }

    public mutating func update(_ bytes: some Sequence<UInt8>) {
        let handled: Void? = bytes.withContiguousStorageIfAvailable { update(UnsafeRawBufferPointer($0)) }
        if handled == nil { Array(bytes).withUnsafeBytes { update($0) } }
    }

    /// The 32-byte digest; the hasher is spent.
    public consuming func finalize() -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: Self.byteCount)
        var length: UInt32 = 0
        let status = digest.withUnsafeMutableBufferPointer { EVP_DigestFinal_ex(context, $0.baseAddress, &length) }
        guard status == 1, length == Self.byteCount else { fatalError("libcrypto cannot finish a SHA-256 digest") }
        return digest
    }
}
