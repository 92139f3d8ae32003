import Glibc

/// Writes to fd 2 directly: Swift 6 refuses the C `stderr` global, and one `write` per line keeps lines
/// from different processes whole in a shared journal.
public enum StandardError {
    /// One line, newline added when missing.
    public static func write(_ text: String) {
        writeRaw(text.hasSuffix("\n") ? text : text + "\n")
    }

    /// Exactly these bytes (a progress bar redraws its line with `\r`).
    public static func writeRaw(_ text: String) {
        Array(text.utf8).withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = Glibc.write(2, raw.baseAddress! + offset, raw.count - offset)
                if written <= 0 { return }
                offset += written
            }
        }
    }

    public static var isTerminal: Bool { isatty(2) == 1 }
}
