/// CRC-32 (the IEEE 802.3 polynomial, as zlib and PNG compute it), for the API token's checksum. A CRC
/// rather than a truncated hash because it is *certain* to catch every error in a span of up to 32 bits,
/// which covers any single mistyped character and any two swapped neighbours.
public enum CRC32 {
    private static let table: [UInt32] = (0..<256).map { index in
        var value = UInt32(index)
        for _ in 0..<8 { value = value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1 }
        return value
    }

    public static func checksum(_ bytes: some Sequence<UInt8>) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }
}
