import CLibPQ

/// The rows of one statement; the result memory is freed with the object.
public final class PostgresResult {
    private let handle: OpaquePointer

    init(_ handle: OpaquePointer) { self.handle = handle }
    deinit { PQclear(handle) }

    public var rowCount: Int { Int(PQntuples(handle)) }

    public func isNull(_ row: Int, _ column: Int) -> Bool {
        PQgetisnull(handle, Int32(row), Int32(column)) == 1
    }

    /// A text-format value.
    public func string(_ row: Int, _ column: Int) -> String? {
        guard !isNull(row, column), let value = PQgetvalue(handle, Int32(row), Int32(column)) else { return nil }
        return String(cString: value)
    }

    /// The raw bytes of a binary-format value.
    public func bytes(_ row: Int, _ column: Int) -> UnsafeRawBufferPointer {
        let length = Int(PQgetlength(handle, Int32(row), Int32(column)))
        guard let value = PQgetvalue(handle, Int32(row), Int32(column)) else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(start: value, count: length)
    }

    /// A binary-format float8 (network byte order).
    public func double(_ row: Int, _ column: Int) -> Double {
        Double(bitPattern: bigEndianInteger(row, column, as: UInt64.self))
    }

    /// A binary-format int2/int4/int8.
    public func integer(_ row: Int, _ column: Int) -> Int {
        let raw = bytes(row, column)
        switch raw.count {
        case 2: return Int(Int16(bitPattern: bigEndianInteger(row, column, as: UInt16.self)))
        case 4: return Int(Int32(bitPattern: bigEndianInteger(row, column, as: UInt32.self)))
        default: return Int(Int64(bitPattern: bigEndianInteger(row, column, as: UInt64.self)))
        }
    }

    private func bigEndianInteger<T: FixedWidthInteger>(_ row: Int, _ column: Int, as: T.Type) -> T {
        let raw = bytes(row, column)
        guard raw.count == MemoryLayout<T>.size else { return 0 }
        return T(bigEndian: raw.loadUnaligned(as: T.self))
    }
}
