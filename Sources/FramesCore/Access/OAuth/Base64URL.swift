/// Base64url without padding (RFC 7515 §2, RFC 4648 §5), the encoding of every part of a JWS and of a
/// JWK's numbers. Strict: padding, white space, characters outside the alphabet, a length that leaves
/// one dangling character and nonzero leftover bits are all refused, so that each byte string has one
/// spelling only and a token cannot be altered without changing its bytes.
public enum Base64URL {
    public static func decode(_ text: some Collection<UInt8>) -> [UInt8]? {
        guard text.count % 4 != 1 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(text.count * 3 / 4)
        var group: UInt32 = 0
        var digits = 0
        for character in text {
            guard let value = digitValue(character) else { return nil }
            group = group << 6 | value
            digits += 1
            if digits == 4 {
                out.append(UInt8(group >> 16))
                out.append(UInt8(group >> 8 & 0xFF))
                out.append(UInt8(group & 0xFF))
                group = 0
                digits = 0
            }
        }
        switch digits {
        case 2:
            guard group & 0x0F == 0 else { return nil }
            out.append(UInt8(group >> 4))
        case 3:
            guard group & 0x03 == 0 else { return nil }
            out.append(UInt8(group >> 10))
            out.append(UInt8(group >> 2 & 0xFF))
        default:
            break
        }
        return out
    }

    public static func decode(_ text: String) -> [UInt8]? { decode(Array(text.utf8)) }

    private static func digitValue(_ character: UInt8) -> UInt32? {
        switch character {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): UInt32(character - UInt8(ascii: "A"))
        case UInt8(ascii: "a")...UInt8(ascii: "z"): UInt32(character - UInt8(ascii: "a")) + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(character - UInt8(ascii: "0")) + 52
        case UInt8(ascii: "-"): 62
        case UInt8(ascii: "_"): 63
        default: nil
        }
    }
}
