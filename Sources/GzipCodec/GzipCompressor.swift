import CZlib

public enum GzipError: Error, Equatable {
    case zlib(code: Int32, operation: String)
}

/// Gzip-compresses many small buffers with one long-lived zlib stream.
///
/// Rows are ~200 bytes, so per-call setup dominates: the stream is reset, not re-created, with the
/// smallest window and a small hash table (deflateReset clears the table, and the default 64 KiB one
/// costs more than compressing the row; the very smallest makes level 9's match search follow long
/// collision chains). Level 9 is what the format asks for; with rows this short the small window loses
/// nothing.
public final class GzipCompressor {
    private var stream = z_stream()
    private var scratch: [UInt8]

    public init(level: Int32 = 9) throws(GzipError) {
        // 16 + 9: a gzip wrapper around a 512-byte window; memLevel 4: a 2 Ki-entry hash table.
        let code = czlib_deflate_init2(&stream, level, 16 + 9, 4)
        guard code == Z_OK else { throw .zlib(code: code, operation: "deflateInit2") }
        scratch = []
    }

    deinit { deflateEnd(&stream) }

    /// A complete gzip member holding `input`; `gzip -d` recovers the bytes.
    public func compress(_ input: UnsafeBufferPointer<UInt8>) throws(GzipError) -> [UInt8] {
        let bound = Int(deflateBound(&stream, uLong(input.count))) + 32
        if scratch.count < bound { scratch = [UInt8](repeating: 0, count: bound) }
        let reset = deflateReset(&stream)
        guard reset == Z_OK else { throw .zlib(code: reset, operation: "deflateReset") }
        let produced: Int = scratch.withUnsafeMutableBufferPointer { out in
            stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
            stream.avail_in = uInt(input.count)
            stream.next_out = out.baseAddress
            stream.avail_out = uInt(out.count)
            let code = deflate(&stream, Z_FINISH)
            return code == Z_STREAM_END ? out.count - Int(stream.avail_out) : -Int(code)
        }
        guard produced >= 0 else { throw .zlib(code: Int32(-produced), operation: "deflate") }
        return Array(scratch[0..<produced])
    }

    public func compress(_ input: [UInt8]) throws(GzipError) -> [UInt8] {
        try input.withUnsafeBufferPointer { (p) throws(GzipError) -> [UInt8] in try compress(p) }
    }
}
