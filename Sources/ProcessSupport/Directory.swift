import Glibc

/// Folder listing and creation through libc, so that no binary links Foundation for them.
public enum Directory {
    /// The names in `path`, without `.` and `..`, in the order the file system returns them.
    public static func names(in path: String) throws(FileSystemError) -> [String] {
        guard let stream = opendir(path) else { throw FileSystemError(path: path, errno: errno) }
        defer { closedir(stream) }
        var names: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// Creates `path` and any missing parents (`mkdir -p`); an existing folder is fine.
    public static func create(_ path: String, mode: mode_t = 0o755) throws(FileSystemError) {
        var prefix = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            prefix += "/" + component
            if mkdir(prefix, mode) != 0 && errno != EEXIST { throw FileSystemError(path: prefix, errno: errno) }
        }
        var status = stat()
        guard stat(path, &status) == 0 else { throw FileSystemError(path: path, errno: errno) }
        guard status.st_mode & S_IFMT == S_IFDIR else { throw FileSystemError(path: path, errno: ENOTDIR) }
    }

    /// Whether anything (file, folder, dangling link) has this name.
    public static func entryExists(_ path: String) -> Bool {
        var status = stat()
        return lstat(path, &status) == 0
    }
}
