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

    /// Calls `body` with each chunk and the number of bytes read so far.
    func forEachChunk(_ body: (UnsafeRawBufferPointer, Int) throws -> Void) throws {
        let capacity = 1 << 18
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 16)
        defer { buffer.deallocate() }
        var total = 0
        while true {
            let count = read(fd, buffer.baseAddress, capacity)
            if count < 0 {
                if errno == EINTR { continue }
                throw IngestError.io("\(path): \(String(cString: strerror(errno)))")
            }
            if count == 0 { return }
            total += count
            try body(UnsafeRawBufferPointer(rebasing: buffer[0..<count]), total)
        }
    }
}
