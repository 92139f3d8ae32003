import FramesCore
import Glibc

/// A file that another process replaces from time to time (the JWKS file a timer writes atomically):
/// read again only when its identity changed. Identity is device, inode, size and modification time, so
/// both a rename over it (a new inode) and a rewrite in place (a new time or size) count.
public struct WatchedFile: KeySetSource {
    public let path: String
    private var lastIdentity: [Int]?

    public init(path: String) { self.path = path }

    public mutating func read(force: Bool) throws(KeySetLoadError) -> [UInt8]? {
        do throws(FileSystemError) {
            let identity = try Self.identity(of: path)
            guard force || identity != lastIdentity else { return nil }
            let text = try TextFile.read(path)
            lastIdentity = identity
            return Array(text.utf8)
        } catch {
            throw KeySetLoadError("cannot read \(path): \(error)")
        }
    }

    private static func identity(of path: String) throws(FileSystemError) -> [Int] {
        var status = stat()
        guard stat(path, &status) == 0 else { throw FileSystemError(path: path, errno: errno) }
        return [Int(status.st_dev), Int(status.st_ino), Int(status.st_size),
                Int(status.st_mtim.tv_sec), Int(status.st_mtim.tv_nsec)]
    }
}
