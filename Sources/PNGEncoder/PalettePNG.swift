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
    ///   - transparentIndex: an index drawn fully transparent (a tRNS chunk), for rows with no data.
    ///   - level: zlib's 0 (stored, fastest) to 9 (smallest).
    public static func encode(width: Int, height: Int, palette: [UInt8], indices: [UInt8],
                              transparentIndex: UInt8? = nil, level: Int32 = defaultLevel) throws(PNGEncodingError) -> [UInt8] {
        try PNGImage.check(width: width, height: height, bytesPerPixel: 1, byteCount: indices.count, level: level)
        guard palette.count == 768 else { throw .invalidPalette(byteCount: palette.count) }
        // tRNS lists the alpha of the first entries only, so it runs up to the transparent one.
        var alpha = [UInt8](repeating: 255, count: transparentIndex.map { Int($0) + 1 } ?? 0)
        if let transparentIndex { alpha[Int(transparentIndex)] = 0 }
        return try PNGImage.write { buffer in
            cpng_write(png_uint_32(width), png_uint_32(height), PNG_COLOR_TYPE_PALETTE, palette, alpha,
                       Int32(alpha.count), indices, level, buffer)
        }
    }
}
