import FramesCore

/// A block of consecutive frames in one `frame_blocks` row: per frame, in depth order, the depth,
/// pixel min and max, mean, std and both compression ratios (PostgreSQL's `float8send`/`int2send`,
/// big-endian) followed by its resized row. Reading 64 frames as one value spares the server the
/// per-row work that dominates a whole-log read.
enum FramePack {
    static let framesPerBlock = 64

    /// The SQL expression of one frame's record, over `frames`' columns.
    static let recordSQL = """
        float8send(depth) || int2send(pixel_min) || int2send(pixel_max) || float8send(pixel_mean)
            || float8send(pixel_std) || float8send(compression_ratio_original)
            || float8send(compression_ratio_resized) || resized
        """

    private static let headerSize = 8 + 2 + 2 + 8 * 4

    /// Appends the frames of a pack whose depths lie in `span`; nil when the bytes are not a whole
    /// number of records of rows `width` wide.
    static func unpack(_ bytes: UnsafeRawBufferPointer, width: Int, span: ClosedRange<Double>,
                       into frames: inout [StoredFrame]) -> Bool {
        let recordSize = headerSize + width
        guard bytes.count % recordSize == 0 else { return false }
        var offset = 0
        func double() -> Double {
            defer { offset += 8 }
            return Double(bitPattern: UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)))
        }
        func small() -> UInt8 {
            defer { offset += 2 }
            return UInt8(clamping: Int16(bigEndian: bytes.loadUnaligned(fromByteOffset: offset, as: Int16.self)))
        }
        while offset < bytes.count {
            let start = offset
            let depth = double()
            guard span.contains(depth) else {
                offset = start + recordSize
                continue
            }
            let minimum = small(), maximum = small()
            let mean = double(), std = double(), ratioOriginal = double(), ratioResized = double()
            frames.append(StoredFrame(depth: depth, statistics: RowStatistics(min: minimum, max: maximum, mean: mean, std: std),
                                      compressionRatioOriginal: ratioOriginal, compressionRatioResized: ratioResized,
                                      pixels: [UInt8](bytes[offset ..< offset + width])))
            offset += width
        }
        return true
    }
}
