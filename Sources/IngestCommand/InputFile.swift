import Glibc

/// A CSV read in fixed-size chunks with read(2), so memory does not grow with the file.
struct InputFile {
    let path: String
    let size: Int
    private let fd: Int32

    init(path: String) throws(IngestError) {
        fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .noInput(path: path, reason: String(cString: strerror(errno))) }
        var info = stat()
        fstat(fd, &info)
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            Glibc.close(fd)
            throw .noInput(path: path, reason: "not a regular file")
        }
        self.path = path
        size = Int(info.st_size)
    }

    func close() { _ = Glibc.close(fd) }

    /// The next chunk, valid until the following call; nil at the end of the file.
    func nextChunk(into buffer: UnsafeMutableRawBufferPointer) throws(IngestError) -> UnsafeRawBufferPointer? {
        while true {
            let count = read(fd, buffer.baseAddress, buffer.count)
            if count < 0 {
                if errno == EINTR { continue }
                throw .io("\(path): \(String(cString: strerror(errno)))")
            }
            return count == 0 ? nil : UnsafeRawBufferPointer(rebasing: buffer[0..<count])
        }
    }
}
