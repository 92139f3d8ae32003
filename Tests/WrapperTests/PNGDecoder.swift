import CPNG

enum PNGDecodingError: Error, Equatable {
    /// libpng refused; `message` is its own.
    case libpng(message: String)
    case tooLarge(width: Int, height: Int)
}

/// Reads any PNG back as 8-bit RGB through libpng's simplified API. The service never decodes PNGs;
/// the tests use it to check what `PalettePNG` wrote without another library.
enum PNGDecoder {
    static func decodeRGB(_ png: [UInt8]) throws(PNGDecodingError) -> (width: Int, height: Int, rgb: [UInt8]) {
        var image = png_image()
        image.version = png_uint_32(PNG_IMAGE_VERSION)
        guard png_image_begin_read_from_memory(&image, png, png.count) != 0 else {
            throw .libpng(message: message(of: image))
        }
        image.format = png_uint_32(PNG_FORMAT_RGB)
        let width = Int(image.width), height = Int(image.height)
        let (count, overflow) = (width * 3).multipliedReportingOverflow(by: height)
        guard !overflow, count <= 1 << 31 else {
            png_image_free(&image)
            throw .tooLarge(width: width, height: height)
        }
        var rgb = [UInt8](repeating: 0, count: count)
        let ok = rgb.withUnsafeMutableBytes { buffer in
            png_image_finish_read(&image, nil, buffer.baseAddress, 0, nil)
        }
        guard ok != 0 else { throw .libpng(message: message(of: image)) }
        return (width, height, rgb)
    }

    private static func message(of image: png_image) -> String {
        withUnsafeBytes(of: image.message) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
    }
}
