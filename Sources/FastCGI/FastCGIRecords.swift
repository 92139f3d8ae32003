/// FastCGI's record framing (protocol version 1) for a response sent whole: its stdout records, the
/// empty record that ends stdout, and the end-of-request record, as one byte string.
///
/// libfcgi sends a long answer in 8 KB records, one `write` each; a worker killed between two of them
/// leaves nginx with the head and part of the body, which it has already passed on and cannot retry.
/// Framed here and written at once, an answer that fits the socket's buffer reaches nginx whole or not
/// at all, and nginx retries the latter on another worker.
public enum FastCGIRecords {
    static let version: UInt8 = 1
    static let endRequest: UInt8 = 3
    static let stdout: UInt8 = 6
    /// The largest content of one record that keeps the records 8-byte aligned without padding.
    static let maximumContent = 65528

    public static func completeResponse(_ payload: [UInt8], requestID: UInt16, appStatus: UInt32 = 0) -> [UInt8] {
        var records: [UInt8] = []
        records.reserveCapacity(payload.count + (payload.count / maximumContent + 3) * 16)
        var start = 0
        while start < payload.count {
            let end = min(start + maximumContent, payload.count)
            let padding = (8 - (end - start) % 8) % 8
            appendHeader(&records, type: stdout, requestID: requestID, contentLength: end - start, padding: padding)
            records += payload[start..<end]
            records += repeatElement(0, count: padding)
            start = end
        }
        appendHeader(&records, type: stdout, requestID: requestID, contentLength: 0, padding: 0)
        appendHeader(&records, type: endRequest, requestID: requestID, contentLength: 8, padding: 0)
        // appStatus (big-endian), protocolStatus 0 (FCGI_REQUEST_COMPLETE), three reserved bytes.
        records += [UInt8(appStatus >> 24), UInt8((appStatus >> 16) & 0xFF), UInt8((appStatus >> 8) & 0xFF),
                    UInt8(appStatus & 0xFF), 0, 0, 0, 0]
        return records
    }

    private static func appendHeader(_ records: inout [UInt8], type: UInt8, requestID: UInt16, contentLength: Int,
                                     padding: Int) {
        records += [version, type, UInt8(requestID >> 8), UInt8(requestID & 0xFF),
                    UInt8(contentLength >> 8), UInt8(contentLength & 0xFF), UInt8(padding), 0]
    }
}
