import CPNG
import Glibc

/// What every PNG writer here shares: argument checks and the call into the C shim.
enum PNGImage {
    static func check(width: Int, height: Int, bytesPerPixel: Int, byteCount: Int,
                      level: Int32) throws(PNGEncodingError) {
        guard width > 0, height > 0, width <= Int(Int32.max), height <= Int(Int32.max) else {
            throw .invalidSize(width: width, height: height)
        }
        let (pixelCount, overflow) = width.multipliedReportingOverflow(by: height)
        let (expected, overflow2) = pixelCount.multipliedReportingOverflow(by: bytesPerPixel)
        guard !overflow, !overflow2 else { throw .invalidSize(width: width, height: height) }
        guard byteCount == expected else { throw .indexCountMismatch(expected: expected, actual: byteCount) }
        guard (0...9).contains(level) else { throw .invalidLevel(level) }
    }

    /// Runs `encode` (a `cpng_write` call) into a fresh buffer and returns the file's bytes.
    static func write(_ encode: (UnsafeMutablePointer<cpng_buffer>) -> Int32) throws(PNGEncodingError) -> [UInt8] {
        var buffer = cpng_buffer(data: nil, size: 0, capacity: 0)
        defer { free(buffer.data) }
        let status = encode(&buffer)
        guard status == 0, let data = buffer.data else { throw .libpng(message: "libpng could not write the image") }
        return [UInt8](UnsafeBufferPointer(start: data, count: buffer.size))
    }
}
