/// A value in a structured log line.
public enum LogValue: Sendable, Equatable {
    case string(String)
    case int(Int)
    case double(Double)
    case bool(Bool)
}

/// One structured log line: a JSON object journald can store and `jq` can read. Fixed keys first, so
/// lines from both binaries line up; request fields (method, path, status, request id…) follow.
public struct LogRecord: Sendable {
    public var timestamp: String
    public var level: String
    public var message: String
    public var module: String
    public var function: String
    public var line: Int
    public var fields: [(String, LogValue)]

    public init(timestamp: String, level: String, message: String, module: String, function: String, line: Int,
                fields: [(String, LogValue)]) {
        self.timestamp = timestamp
        self.level = level
        self.message = message
        self.module = module
        self.function = function
        self.line = line
        self.fields = fields
    }

    public func rendered() -> String {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        var separator: StaticString = "{"
        func key(_ name: String) {
            JSONWriter.appendRaw(separator, to: &out)
            separator = ","
            JSONWriter.appendString(name, to: &out)
            JSONWriter.appendRaw(":", to: &out)
        }
        for (name, text) in [("timestamp", timestamp), ("level", level), ("message", message),
                             ("module", module), ("function", function)] {
            key(name)
            JSONWriter.appendString(text, to: &out)
        }
        key("line")
        JSONWriter.appendNumber(line, to: &out)
        for (name, value) in fields {
            key(name)
            switch value {
            case .string(let text): JSONWriter.appendString(text, to: &out)
            case .int(let number): JSONWriter.appendNumber(number, to: &out)
            case .double(let number): JSONWriter.appendNumber(number, to: &out)
            case .bool(let flag): JSONWriter.appendRaw(flag ? "true" : "false", to: &out)
            }
        }
        JSONWriter.appendRaw("}", to: &out)
        return String(decoding: out, as: UTF8.self)
    }
}
