import Glibc

/// Whole small text files (colormaps, the previous metrics file) read through libc.
public enum TextFile {
    /// The file's content; EILSEQ when it is not UTF-8.
    public static func read(_ path: String) throws(FileSystemError) -> String {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw FileSystemError(path: path, errno: errno) }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count == 0 { break }
            if count < 0 {
                if errno == EINTR { continue }
                throw FileSystemError(path: path, errno: errno)
            }
            bytes += chunk[..<count]
        }
        guard let text = String(validating: bytes, as: UTF8.self) else { throw FileSystemError(path: path, errno: EILSEQ) }
        return text
    }
}
