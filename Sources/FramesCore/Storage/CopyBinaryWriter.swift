/// Builds PostgreSQL's binary COPY stream (`COPY … FROM STDIN (FORMAT binary)`): a fixed signature,
/// then per tuple a 16-bit field count and length-prefixed big-endian fields, then a -1 trailer.
/// Binary COPY skips the server's text parsing of floats and bytea, the bulk of a text COPY's cost.
public struct CopyBinaryWriter {
    public private(set) var buffer: [UInt8] = []

    private static let signature: [UInt8] = Array("PGCOPY\n".utf8) + [0xFF, 0x0D, 0x0A, 0x00]

    public init() {
        buffer.reserveCapacity(1 << 16)
        buffer.append(contentsOf: Self.signature)
        appendInteger(UInt32(0))  // flags: no OIDs
        appendInteger(UInt32(0))  // header extension length
    }

    public mutating func beginTuple(fieldCount: Int) { appendInteger(UInt16(fieldCount)) }

    public mutating func appendFloat8(_ value: Double) {
        appendInteger(UInt32(8))
        appendInteger(value.bitPattern)
    }

    public mutating func appendInt8(_ value: Int64) {
        appendInteger(UInt32(8))
        appendInteger(UInt64(bitPattern: value))
    }

    public mutating func appendInt2(_ value: Int16) {
        appendInteger(UInt32(2))
        appendInteger(UInt16(bitPattern: value))
    }

    public mutating func appendBytea(_ bytes: [UInt8]) {
        appendInteger(UInt32(bytes.count))
        buffer.append(contentsOf: bytes)
    }

    public mutating func finish() { appendInteger(UInt16(0xFFFF)) }

    /// Hands over what is buffered so far and starts afresh, so a stream of any length is sent in
    /// bounded chunks.
    public mutating func takeBuffer() -> [UInt8] {
        defer { buffer.removeAll(keepingCapacity: true) }
        return buffer
    }

    private mutating func appendInteger<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.bigEndian) { buffer.append(contentsOf: $0) }
    }
}
