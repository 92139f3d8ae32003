import FramesCore
import PostgresClient

/// The row hashes of a dataset's current frames by depth, read once at the start of a load. A file
/// row whose hash is already stored at its depth is the frame that is there: the loader neither
/// compresses it nor sends it, only its depth (so that a whole-file load knows it is still present).
public struct StoredRowHashes: Sendable {
    /// 16 bytes of hash as two words: 500,000 rows take a few megabytes and no array per row.
    private var byDepth: [Double: SIMD2<UInt64>] = [:]

    public init() {}

    /// The current rows of `dataset` that have a hash (rows loaded before versions have none).
    static func read(_ dataset: String, on connection: any SQLConnection) throws(PostgresError) -> StoredRowHashes {
        let result = try connection.query("SELECT depth, row_hash FROM frames WHERE dataset = $1 AND row_hash IS NOT NULL",
                                          [dataset], binary: true)
        var hashes = StoredRowHashes()
        hashes.byDepth.reserveCapacity(result.rowCount)
        for row in 0..<result.rowCount {
            guard let words = Self.words(result.bytes(row, 1)) else { continue }
            hashes.byDepth[result.double(row, 0)] = words
        }
        return hashes
    }

    public var isEmpty: Bool { byDepth.isEmpty }

    /// Whether the frame stored at `depth` has this row hash.
    public func contains(depth: Double, hash: [UInt8]) -> Bool {
        guard let stored = byDepth[depth] else { return false }
        return hash.withUnsafeBytes { Self.words($0) } == stored
    }

    private static func words(_ bytes: UnsafeRawBufferPointer) -> SIMD2<UInt64>? {
        guard bytes.count == 16 else { return nil }
        return SIMD2(bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self),
                     bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
    }
}
