import FramesCore

/// The two messages of a NETLINK_SOCK_DIAG exchange that asks the kernel about one unix socket (the
/// query `ss -xl` makes): the request by inode, and the reading of its answer into a `ListenQueue`.
/// Bytes only, in the host's byte order as netlink wants; ListenQueueProbe makes the socket calls.
public enum UnixSocketDiagnostics {
    /// SOCK_DIAG_BY_FAMILY, and the flags of a request for one object (no dump).
    static let messageType: UInt16 = 20
    static let requestFlags: UInt16 = 1
    static let familyUnix: UInt8 = 1
    /// UDIAG_SHOW_RQLEN: ask for the queue attribute, UNIX_DIAG_RQLEN.
    static let showQueueLengths: UInt32 = 0x10
    static let queueLengthsAttribute: UInt16 = 4
    /// NLMSG_ERROR and NLMSG_DONE.
    static let errorType: UInt16 = 2
    static let doneType: UInt16 = 3
    static let headerSize = 16
    static let answerSize = 16

    /// An `nlmsghdr` followed by a `unix_diag_req` for the socket with this inode. The cookie is "any"
    /// (all ones), which the kernel accepts for a lookup by inode.
    public static func request(inode: UInt32, sequence: UInt32) -> [UInt8] {
        var body: [UInt8] = [familyUnix, 0, 0, 0]
        body += bytes(UInt32.max)  // every state
        body += bytes(inode)
        body += bytes(showQueueLengths)
        body += bytes(UInt32.max) + bytes(UInt32.max)
        return bytes(UInt32(headerSize + body.count)) + bytes(messageType) + bytes(requestFlags) + bytes(sequence)
            + bytes(UInt32(0)) + body
    }

    /// What the kernel answered: the queue of the socket with `inode`, or why there is none.
    public static func queue(inAnswer answer: [UInt8], inode: UInt32) -> Result<ListenQueue, Failure> {
        var offset = 0
        while offset + headerSize <= answer.count {
            let length = Int(word(answer, offset))
            let type = half(answer, offset + 4)
            guard length >= headerSize, offset + length <= answer.count else { return .failure(.malformed) }
            let payload = offset + headerSize, end = offset + length
            switch type {
            case errorType:
                let code = payload + 4 <= end ? Int32(bitPattern: word(answer, payload)) : 0
                return .failure(.kernel(errno: -code))
            case doneType:
                return .failure(.notFound)
            case messageType where payload + answerSize <= end && word(answer, payload + 4) == inode:
                if let queue = queueAttribute(answer, from: payload + answerSize, to: end) { return .success(queue) }
                return .failure(.malformed)
            default:
                break
            }
            offset += (length + 3) & ~3
        }
        return .failure(.notFound)
    }

    public enum Failure: Error, Equatable, Sendable {
        /// The kernel refused the request (e.g. ENOENT: no such socket; unix_diag not available).
        case kernel(errno: Int32)
        case notFound
        case malformed
    }

    /// `unix_diag_rqlen`: for a listening socket, the connections waiting and the backlog.
    private static func queueAttribute(_ answer: [UInt8], from start: Int, to end: Int) -> ListenQueue? {
        var offset = start
        while offset + 4 <= end {
            let length = Int(half(answer, offset)), type = half(answer, offset + 2)
            guard length >= 4, offset + length <= end else { return nil }
            if type == queueLengthsAttribute, length >= 12 {
                return ListenQueue(length: Int(word(answer, offset + 4)), capacity: Int(word(answer, offset + 8)))
            }
            offset += (length + 3) & ~3
        }
        return nil
    }

    static func bytes<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
        withUnsafeBytes(of: value) { Array($0) }
    }

    private static func word(_ bytes: [UInt8], _ at: Int) -> UInt32 {
        var value: UInt32 = 0
        withUnsafeMutableBytes(of: &value) { for i in 0..<4 { $0[i] = bytes[at + i] } }
        return value
    }

    private static func half(_ bytes: [UInt8], _ at: Int) -> UInt16 {
        var value: UInt16 = 0
        withUnsafeMutableBytes(of: &value) { for i in 0..<2 { $0[i] = bytes[at + i] } }
        return value
    }
}
