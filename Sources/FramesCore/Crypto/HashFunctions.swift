/// The hash functions that stored data is defined with: SHA-256 for a key's secret and a row's content,
/// CRC-32 (IEEE 802.3) for an API token's checksum. The core has no C imports, so it computes neither
/// itself: the layer that links the system's libraries passes them in (`Digests.SystemHashes`).
public protocol HashFunctions: Sendable {
    /// The 32-byte SHA-256 digest of `bytes`.
    func sha256(_ bytes: [UInt8]) -> [UInt8]
    func crc32(_ bytes: [UInt8]) -> UInt32
}
