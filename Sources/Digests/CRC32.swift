import CZlib

/// CRC-32 (the IEEE 802.3 polynomial) from zlib, which already compresses every stored row.
public enum CRC32 {
    public static func checksum(_ bytes: [UInt8]) -> UInt32 {
        let crc = bytes.withUnsafeBufferPointer { crc32_z(0, $0.baseAddress, $0.count) }
        return UInt32(truncatingIfNeeded: crc)
    }
}
