import CPNG
import Glibc

public enum PNGEncodingError: Error, Equatable {
    case invalidSize(width: Int, height: Int)
    case indexCountMismatch(expected: Int, actual: Int)
    case invalidPalette(byteCount: Int)
    case invalidLevel(Int32)
    /// libpng refused; `message` is its own.
    case libpng(message: String)
}

/// Writes a PNG whose pixels are palette indices: the stored rows already are indices (0–255) and a
/// colormap is a 256-entry palette, so the image goes out as 1 byte per pixel plus a PLTE chunk
/// instead of being expanded to RGB first.
public enum PalettePNG {
    /// zlib's own default level. Resized image rows are noisy: on a 150×5460 log, level 1 takes 24 ms
    /// for 635 kB and level 6 30 ms for 624 kB, while level 0 (stored) takes 0.5 ms for 825 kB.
    public static let defaultLevel: Int32 = 6

    /// - Parameters:
    ///   - palette: 256 RGB triples (768 bytes); index `i` is `palette[3i..<3i+3]`.
    ///   - indices: `width × height` palette indices, row-major, top row first.
    ///   - level: zlib's 0 (stored, fastest) to 9 (smallest).
    public static func encode(width: Int, height: Int, palette: [UInt8], indices: [UInt8],
                              level: Int32 = defaultLevel) throws(PNGEncodingError) -> [UInt8] {
        guard width > 0, height > 0, width <= Int(Int32.max), height <= Int(Int32.max) else {
            throw .invalidSize(width: width, height: height)
        }
        let (pixelCount, overflow) = width.multipliedReportingOverflow(by: height)
        guard !overflow else { throw .invalidSize(width: width, height: height) }
        guard indices.count == pixelCount else {
            throw .indexCountMismatch(expected: pixelCount, actual: indices.count)
        }
        guard palette.count == 768 else { throw .invalidPalette(byteCount: palette.count) }
        guard (0...9).contains(level) else { throw .invalidLevel(level) }

        var buffer = cpng_buffer(data: nil, size: 0, capacity: 0)
        defer { free(buffer.data) }
        let status = cpng_write_palette(png_uint_32(width), png_uint_32(height), palette, indices, level, &buffer)
        guard status == 0, let data = buffer.data else { throw .libpng(message: "libpng could not write the image") }
        return [UInt8](UnsafeBufferPointer(start: data, count: buffer.size))
    }
}
