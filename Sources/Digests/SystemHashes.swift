import FramesCore

/// The core's hash functions, from libcrypto and zlib.
public struct SystemHashes: HashFunctions {
    public init() {}

    public func sha256(_ bytes: [UInt8]) -> [UInt8] { SHA256.hash(bytes) }

    public func crc32(_ bytes: [UInt8]) -> UInt32 { CRC32.checksum(bytes) }
}
