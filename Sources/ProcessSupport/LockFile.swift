import Glibc

/// An exclusive flock(2) on a file that exists only to be locked. The kernel drops the lock when the
/// holder exits, however it exits, so a crashed run never leaves a stale lock behind.
public struct LockFile {
    private let fd: Int32

    /// The lock file could not be opened or created.
    public struct Failure: Error, Equatable {
        public let path: String
        public let errno: Int32
    }

    /// Takes the lock, waiting for another holder when `waiting`; otherwise nil while another holds it.
    public static func acquire(_ path: String, waiting: Bool, mode: mode_t = 0o640) throws(Failure) -> LockFile? {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, mode)
        guard fd >= 0 else { throw Failure(path: path, errno: errno) }
        while flock(fd, waiting ? LOCK_EX : LOCK_EX | LOCK_NB) != 0 {
            if errno == EINTR { continue }
            close(fd)
            return nil
        }
        return LockFile(fd: fd)
    }

    public func release() { close(fd) }
}

