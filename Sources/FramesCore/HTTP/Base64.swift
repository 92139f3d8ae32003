/// Standard base64 (RFC 4648 §4, with `=` padding), appended to an existing buffer so large
/// bodies are built without intermediate strings.
public enum Base64 {
    /// The 64 digits, in value order.
    public static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    public static func encodedCount(of byteCount: Int) -> Int {
        (byteCount + 2) / 3 * 4
    }

    public static func append(_ bytes: [UInt8], to out: inout [UInt8]) {
        bytes.withUnsafeBytes { append(UnsafeRawBufferPointer($0), to: &out) }
    }

    public static func append(_ bytes: UnsafeRawBufferPointer, to out: inout [UInt8]) {
        let start = out.count
        let count = encodedCount(of: bytes.count)
        // Growing by a fill and then overwriting in place beats appending byte by byte.
        out.append(contentsOf: repeatElement(0, count: count))
        alphabet.withUnsafeBufferPointer { digits in
            out.withUnsafeMutableBufferPointer { buffer in
                var target = start
                var source = 0
                let whole = bytes.count - bytes.count % 3
                while source < whole {
                    let group = UInt32(bytes[source]) << 16 | UInt32(bytes[source + 1]) << 8 | UInt32(bytes[source + 2])
                    buffer[target] = digits[Int(group >> 18)]
                    buffer[target + 1] = digits[Int(group >> 12 & 0x3F)]
                    buffer[target + 2] = digits[Int(group >> 6 & 0x3F)]
                    buffer[target + 3] = digits[Int(group & 0x3F)]
                    source += 3
                    target += 4
                }
                let remaining = bytes.count - whole
                guard remaining > 0 else { return }
                let second = remaining == 2 ? UInt32(bytes[source + 1]) : 0
                let group = UInt32(bytes[source]) << 16 | second << 8
                buffer[target] = digits[Int(group >> 18)]
                buffer[target + 1] = digits[Int(group >> 12 & 0x3F)]
                buffer[target + 2] = remaining == 2 ? digits[Int(group >> 6 & 0x3F)] : UInt8(ascii: "=")
                buffer[target + 3] = UInt8(ascii: "=")
            }
        }
    }
}
