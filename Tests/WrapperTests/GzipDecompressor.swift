import CZlib

/// Inflates gzip members whose decompressed size is known (stored rows have a fixed width).
final class GzipDecompressor {
    enum Failure: Error, Equatable {
        case zlib(code: Int32, operation: String)
        /// The member ends before its end marker, or holds more than the expected size.
        case truncated
    }


    private var stream = z_stream()

    init() throws(Failure) {
        let code = czlib_inflate_init2(&stream, 16 + 15)
        guard code == Z_OK else { throw .zlib(code: code, operation: "inflateInit2") }
    }

    deinit { inflateEnd(&stream) }

    func decompress(_ input: [UInt8], expectedSize: Int) throws(Failure) -> [UInt8] {
        let reset = inflateReset(&stream)
        guard reset == Z_OK else { throw .zlib(code: reset, operation: "inflateReset") }
        var output = [UInt8](repeating: 0, count: expectedSize + 1)
        let result: (code: Int32, produced: Int) = input.withUnsafeBufferPointer { inp in
            output.withUnsafeMutableBufferPointer { out in
                stream.next_in = UnsafeMutablePointer(mutating: inp.baseAddress)
                stream.avail_in = uInt(inp.count)
                stream.next_out = out.baseAddress
                stream.avail_out = uInt(out.count)
                let code = inflate(&stream, Z_FINISH)
                return (code, out.count - Int(stream.avail_out))
            }
        }
        guard result.code == Z_STREAM_END else {
            throw result.code == Z_BUF_ERROR ? .truncated : .zlib(code: result.code, operation: "inflate")
        }
        output.removeLast(output.count - result.produced)
        return output
    }
}
