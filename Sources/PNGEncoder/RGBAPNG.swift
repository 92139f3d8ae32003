import CPNG

/// Writes an 8-bit RGBA PNG: for images a palette cannot carry, such as a binned log whose rows use
/// all 256 palette entries and also has empty rows to leave transparent.
public enum RGBAPNG {
    /// - Parameters:
    ///   - pixels: `width × height` RGBA quadruples, row-major, top row first.
    public static func encode(width: Int, height: Int, pixels: [UInt8],
                              level: Int32 = PalettePNG.defaultLevel) throws(PNGEncodingError) -> [UInt8] {
        try PNGImage.check(width: width, height: height, bytesPerPixel: 4, byteCount: pixels.count, level: level)
        return try PNGImage.write { buffer in
            cpng_write(png_uint_32(width), png_uint_32(height), PNG_COLOR_TYPE_RGB_ALPHA, nil, nil, 0, pixels,
                       level, buffer)
        }
    }
}
