import CPNG

public enum PNGEncodingError: Error, Equatable {
    case invalidSize(width: Int, height: Int)
    case indexCountMismatch(expected: Int, actual: Int)
    case invalidPalette(byteCount: Int)
    /// libpng refused; `message` is its own.
    case libpng(message: String)
}

/// Writes a PNG whose pixels are palette indices: the stored rows already are indices (0–255) and a
/// colormap is a 256-entry palette, so the image goes out as 1 byte per pixel plus a PLTE chunk
/// instead of being expanded to RGB first. libpng's simplified API does the work in memory and
/// reports errors through the image struct, so no setjmp is involved.
public enum PalettePNG {
    /// How hard zlib works. `.fast` is libpng's `PNG_IMAGE_FLAG_FAST` (zlib level 3 instead of the default).
    public enum Compression: Sendable {
        case standard
        case fast
    }

    /// Measured on a 150×5460 log: 24 ms and 636 kB fast, 30 ms and 625 kB standard. Palette images
    /// get no row filters either way, so the zlib level is the only difference, and 2% of size is
    /// not worth 20% of encode time on a response nobody stores.
    public static let defaultCompression = Compression.fast

    /// - Parameters:
    ///   - palette: 256 RGB triples (768 bytes); index `i` is `palette[3i..<3i+3]`.
    ///   - indices: `width × height` palette indices, row-major, top row first.
    public static func encode(width: Int, height: Int, palette: [UInt8], indices: [UInt8],
                              compression: Compression = defaultCompression) throws(PNGEncodingError) -> [UInt8] {
        // PNG limits dimensions to 2^31 - 1; libpng's row arithmetic wants far less, so cap at UInt32 range.
        guard width > 0, height > 0, width <= Int(Int32.max), height <= Int(Int32.max) else {
            throw .invalidSize(width: width, height: height)
        }
        let (pixelCount, overflow) = width.multipliedReportingOverflow(by: height)
        guard !overflow else { throw .invalidSize(width: width, height: height) }
        guard indices.count == pixelCount else {
            throw .indexCountMismatch(expected: pixelCount, actual: indices.count)
        }
        guard palette.count == 768 else { throw .invalidPalette(byteCount: palette.count) }

        var image = png_image()
        image.version = png_uint_32(PNG_IMAGE_VERSION)
        image.width = png_uint_32(width)
        image.height = png_uint_32(height)
        // PNG_FORMAT_RGB_COLORMAP, which is a macro expression Swift does not import.
        image.format = png_uint_32(PNG_FORMAT_RGB) | png_uint_32(PNG_FORMAT_FLAG_COLORMAP)
        image.colormap_entries = 256
        image.flags = compression == .fast ? png_uint_32(PNG_IMAGE_FLAG_FAST) : 0

        var capacity = upperBound(pixelCount: pixelCount, height: height)
        // The bound is libpng's own formula, so one pass suffices; the retry only guards against a zlib
        // that compresses worse than zlib's documented bound.
        for _ in 0..<2 {
            var written = png_alloc_size_t(capacity)
            let output = [UInt8](unsafeUninitializedCapacity: capacity) { buffer, initialized in
                let ok = png_image_write_to_memory(&image, buffer.baseAddress, &written, 0, indices, 0, palette)
                initialized = ok != 0 ? Int(written) : 0
            }
            if !output.isEmpty { return output }
            let failure = message(of: image)
            png_image_free(&image)
            // A larger `written` than offered means only the buffer was short.
            guard Int(written) > capacity else { throw .libpng(message: failure) }
            capacity = Int(written)
            image.warning_or_error = 0
        }
        throw .libpng(message: "output larger than libpng's reported size")
    }

    /// `PNG_IMAGE_PNG_SIZE_MAX` from png.h, which Swift cannot import: signature, IHDR, gAMA, cHRM,
    /// PLTE with 256 entries, IEND, one IDAT header per zlib buffer, and zlib's worst case for the
    /// filtered rows (one filter byte per row).
    private static func upperBound(pixelCount: Int, height: Int) -> Int {
        let filtered = pixelCount + height
        let deflated = filtered + (filtered + 7) >> 3 + (filtered + 63) >> 6 + 11
        let zlibBufferSize = 8192
        return 8 + 25 + 16 + 44 + 12 + (12 + 3 * 256) + 12 + 12 * (deflated / zlibBufferSize) + deflated
    }

    private static func message(of image: png_image) -> String {
        withUnsafeBytes(of: image.message) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
    }
}
