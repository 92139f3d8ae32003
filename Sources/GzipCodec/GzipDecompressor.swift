import CZlib

/// Inflates many small gzip members with one long-lived zlib stream (reset between members), as
/// `/statistics` does for the original rows at a range's ends (and the tests for every row).
public final class GzipDecompressor {
    private var stream = z_stream()

    public init() throws(GzipError) {
        // 16 + 15: a gzip wrapper, any window size.
        let code = czlib_inflate_init2(&stream, 16 + 15)
        guard code == Z_OK else { throw .zlib(code: code, operation: "inflateInit2") }
    }

    deinit { inflateEnd(&stream) }

    /// The bytes of one complete gzip member, which must inflate to exactly `size` bytes.
    public func decompress(_ input: [UInt8], size: Int) throws(GzipError) -> [UInt8] {
        let reset = inflateReset(&stream)
        guard reset == Z_OK else { throw .zlib(code: reset, operation: "inflateReset") }
        // One spare byte: a member longer than `size` does not end with Z_STREAM_END.
        var out = [UInt8](repeating: 0, count: size + 1)
        let (code, produced): (Int32, Int) = input.withUnsafeBufferPointer { input in
            out.withUnsafeMutableBufferPointer { out in
                stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
                stream.avail_in = uInt(input.count)
                stream.next_out = out.baseAddress
                stream.avail_out = uInt(out.count)
                let code = inflate(&stream, Z_FINISH)
                return (code, out.count - Int(stream.avail_out))
            }
        }
        guard code == Z_STREAM_END, produced == size else {
            throw .zlib(code: code == Z_STREAM_END ? Z_DATA_ERROR : code, operation: "inflate")
        }
        out.removeLast()
        return out
    }
}
