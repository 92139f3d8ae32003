import Glibc

/// A failed file-system call: which path, and why. Its description is errno's text alone, because the
/// messages that show it already name the path.
public struct FileSystemError: Error, Equatable, CustomStringConvertible {
    public let path: String
    public let errno: Int32

    public init(path: String, errno: Int32) {
        self.path = path
        self.errno = errno
    }

    public var description: String { String(cString: strerror(errno)) }
}
