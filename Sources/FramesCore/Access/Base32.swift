/// RFC 4648 base32 in lower case, unpadded: the token's alphabet. Letters and digits only, so a token
/// survives double-click selection, URLs and shell quoting, and has no look-alike pairs such as 0/O or 1/l.
enum Base32 {
    static let alphabet = Array("abcdefghijklmnopqrstuvwxyz234567".utf8)

    private static let values: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (value, symbol) in alphabet.enumerated() { table[Int(symbol)] = UInt8(value) }
        return table
    }()

    static func encodedLength(ofBytes count: Int) -> Int { (count * 8 + 4) / 5 }

    static func encode(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(encodedLength(ofBytes: bytes.count))
        var buffer: UInt32 = 0
        var bits = 0
        for byte in bytes {
            buffer = buffer << 8 | UInt32(byte)
            bits += 8
            while bits >= 5 {
                bits -= 5
                out.append(alphabet[Int((buffer >> UInt32(bits)) & 31)])
            }
        }
        if bits > 0 { out.append(alphabet[Int((buffer << UInt32(5 - bits)) & 31)]) }
        return out
    }

    /// nil unless every symbol is in the alphabet and the unused low bits of the last one are zero: each
    /// byte string then has exactly one spelling, so a changed symbol can never decode to the same bytes.
    static func decode(_ symbols: some Collection<UInt8>, byteCount: Int) -> [UInt8]? {
        guard symbols.count == encodedLength(ofBytes: byteCount) else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(byteCount)
        var buffer: UInt32 = 0
        var bits = 0
        for symbol in symbols {
            let value = values[Int(symbol)]
            guard value != 0xFF else { return nil }
            buffer = buffer << 5 | UInt32(value)
            bits += 5
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: buffer >> UInt32(bits)))
            }
        }
        guard buffer & ((1 << UInt32(bits)) - 1) == 0 else { return nil }
        return out
    }
}
