/// A compact byte form of a histogram, for storing one per row (or per block of rows) at ingest.
///
/// Only the nonzero bins are written, in increasing value order, each as one byte (the value)
/// followed by its count as an unsigned LEB128 varint (7 bits a byte, low bits first, high bit
/// set on every byte but the last). An empty histogram is zero bytes. A 200-pixel row takes
/// 2 bytes per distinct value; a histogram of many rows stays under 256 × 10 bytes.
///
/// Decoding accepts only what `encoded()` writes (increasing values, nonzero counts, shortest
/// varints), so every histogram has exactly one encoding.
extension PixelHistogram {
    public enum DecodingError: Error, Equatable, Sendable {
        /// The bytes end inside a bin; `offset` is where that bin starts.
        case truncated(offset: Int)
        /// A value is not greater than the one before it.
        case valueOutOfOrder(offset: Int)
        /// A count is zero, written with extra bytes, or too large (alone or in the total) for an `Int`.
        case badCount(offset: Int)
    }

    public func encoded() -> [UInt8] {
        var out: [UInt8] = []
        for value in 0..<Self.binCount where counts[value] > 0 {
            out.append(UInt8(value))
            var count = UInt64(counts[value])
            while count >= 0x80 {
                out.append(UInt8(truncatingIfNeeded: count) | 0x80)
                count >>= 7
            }
            out.append(UInt8(count))
        }
        return out
    }

    public init(decoding bytes: [UInt8]) throws(DecodingError) {
        var counts = [Int](repeating: 0, count: Self.binCount)
        var offset = 0
        var previous = -1
        var total = 0
        while offset < bytes.count {
            let start = offset
            let value = Int(bytes[offset])
            guard value > previous else { throw .valueOutOfOrder(offset: start) }
            offset += 1
            var count: UInt64 = 0
            var shift: UInt64 = 0
            while true {
                guard offset < bytes.count else { throw .truncated(offset: start) }
                let byte = bytes[offset]
                offset += 1
                let payload = UInt64(byte & 0x7f)
                // 9 × 7 bits hold 63 bits: an Int's nonnegative range.
                guard shift < 63, (payload << shift) >> shift == payload else { throw .badCount(offset: start) }
                count |= payload << shift
                if byte & 0x80 == 0 {
                    // A last byte of 0 after others would be a longer spelling of a shorter varint.
                    guard payload != 0 || shift == 0 else { throw .badCount(offset: start) }
                    break
                }
                shift += 7
            }
            guard count > 0, count <= UInt64(Int.max) else { throw .badCount(offset: start) }
            let (sum, overflow) = total.addingReportingOverflow(Int(count))
            guard !overflow else { throw .badCount(offset: start) }
            total = sum
            counts[value] = Int(count)
            previous = value
        }
        self.init(counts: counts)
    }
}
