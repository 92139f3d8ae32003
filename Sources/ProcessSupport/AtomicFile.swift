import Glibc

/// Replaces a file in one step: readers (node_exporter's textfile collector, a spool scanner) see the
/// old content or the new, never a half-written file.
public enum AtomicFile {
    public enum Failure: Error, Equatable {
        case cannotWrite(path: String, errno: Int32)
    }

    public static func write(_ bytes: [UInt8], to path: String, mode: mode_t = 0o644) throws(Failure) {
        try write(to: path, mode: mode) { sink in sink(bytes) }
    }

    /// Streams the content through `produce`, which may call its sink any number of times.
    public static func write(to path: String, mode: mode_t = 0o644,
                             produce: (_ sink: ([UInt8]) -> Void) -> Void) throws(Failure) {
        let temporary = path + ".part"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard fd >= 0 else { throw .cannotWrite(path: temporary, errno: errno) }
        var failure: Int32 = 0
        produce { bytes in
            guard failure == 0 else { return }
            bytes.withUnsafeBytes { raw in
                var offset = 0
                while offset < raw.count {
                    let written = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
                    if written <= 0 {
                        failure = errno
                        return
                    }
                    offset += written
                }
            }
        }
        close(fd)
        guard failure == 0, rename(temporary, path) == 0 else {
            let code = failure == 0 ? errno : failure
            unlink(temporary)
            throw .cannotWrite(path: path, errno: code)
        }
    }
}
