/// Reads PostgreSQL's binary COPY format (the header, then tuples of length-prefixed fields, then -1)
/// back into rows, written here from the format's documentation so that it checks the loader's writer
/// rather than repeating it.
enum CopyBinaryRows {
    struct FormatError: Error, CustomStringConvertible {
        var description: String
    }

    private static let signature: [UInt8] = Array("PGCOPY\n".utf8) + [0xFF, 0x0D, 0x0A, 0x00]

    static func decode(_ bytes: [UInt8]) throws -> [[[UInt8]?]] {
        guard bytes.starts(with: signature) else { throw FormatError(description: "no PGCOPY signature") }
        var offset = signature.count
        func integer(_ size: Int) throws -> Int {
            guard offset + size <= bytes.count else { throw FormatError(description: "cut short at byte \(offset)") }
            let value = bytes[offset..<offset + size].reduce(0) { $0 << 8 | Int($1) }
            offset += size
            // Two's complement of the field's width: -1 marks NULL and the trailer.
            return value >= 1 << (size * 8 - 1) ? value - 1 << (size * 8) : value
        }
        _ = try integer(4)  // flags
        offset += try integer(4)  // header extension
        var rows: [[[UInt8]?]] = []
        while true {
            let fields = try integer(2)
            if fields == -1 { break }
            var row: [[UInt8]?] = []
            for _ in 0..<fields {
                let length = try integer(4)
                if length < 0 {
                    row.append(nil)
                    continue
                }
                guard offset + length <= bytes.count else { throw FormatError(description: "field cut short") }
                row.append(Array(bytes[offset..<offset + length]))
                offset += length
            }
            rows.append(row)
        }
        guard offset == bytes.count else { throw FormatError(description: "\(bytes.count - offset) bytes after the trailer") }
        return rows
    }

    static func double(_ field: [UInt8]?) -> Double {
        Double(bitPattern: UInt64(truncatingIfNeeded: bigEndian(field)))
    }

    static func bigEndian(_ field: [UInt8]?) -> Int {
        let bytes = field ?? []
        let value = bytes.reduce(0) { $0 << 8 | Int($1) }
        return bytes.count < 8 && value >= 1 << (bytes.count * 8 - 1) ? value - 1 << (bytes.count * 8) : value
    }
}
