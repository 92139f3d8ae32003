import FramesCore

/// Logs on stderr: one JSON object per line for journald and log shippers, or a plain line when a
/// person is watching a terminal.
public enum Log {
    public static func info(_ message: String, _ fields: [String: LogValue] = [:],
                            fileID: String = #fileID, function: String = #function, line: Int = #line) {
        emit("info", message, fields, fileID, function, line)
    }

    public static func warning(_ message: String, _ fields: [String: LogValue] = [:],
                               fileID: String = #fileID, function: String = #function, line: Int = #line) {
        emit("warning", message, fields, fileID, function, line)
    }

    public static func error(_ message: String, _ fields: [String: LogValue] = [:],
                             fileID: String = #fileID, function: String = #function, line: Int = #line) {
        emit("error", message, fields, fileID, function, line)
    }

    private static let toTerminal = StandardError.isTerminal

    private static func emit(_ level: String, _ message: String, _ fields: [String: LogValue],
                             _ fileID: String, _ function: String, _ line: Int) {
        let sorted = fields.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        if toTerminal {
            let details = sorted.map { "\($0.0)=\($0.1.plain)" }.joined(separator: " ")
            StandardError.write("\(level): \(message)" + (details.isEmpty ? "" : " (\(details))"))
            return
        }
        let module = fileID.split(separator: "/").first.map(String.init) ?? fileID
        let record = LogRecord(timestamp: Clock.rfc3339(), level: level, message: message, module: module,
                               function: function, line: line, fields: sorted)
        StandardError.write(record.rendered())
    }
}

private extension LogValue {
    var plain: String {
        switch self {
        case .string(let text): return text
        case .int(let number): return String(number)
        case .double(let number): return String(number)
        case .bool(let flag): return String(flag)
        }
    }
}
