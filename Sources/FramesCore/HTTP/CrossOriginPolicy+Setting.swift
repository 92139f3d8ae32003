/// Why a `FRAMES_CORS_ORIGINS` value was refused.
public struct CrossOriginSettingError: Error, Sendable, Equatable, CustomStringConvertible {
    public let entry: String
    public let reason: String

    public var description: String { "`\(entry)` \(reason)" }
}

extension CrossOriginPolicy {
    /// The setting as the sysadmin writes it: empty (nobody), `*` (everyone), or origins separated by
    /// spaces or commas (`https://app.example.org, http://localhost:8080`). Each is checked here, at
    /// start, because a browser compares origins as exact strings: a typo or a trailing slash would
    /// otherwise fail silently in every user's browser.
    public init(setting: String) throws(CrossOriginSettingError) {
        let entries = setting.split(whereSeparator: { $0 == "," || $0 == " " || $0 == "\t" }).map(String.init)
        if entries.isEmpty {
            self.init(allowed: .nobody)
        } else if entries == ["*"] {
            self.init(allowed: .everyone)
        } else {
            var origins = Set<String>()
            for entry in entries { origins.insert(try Self.origin(entry)) }
            self.init(allowed: .listed(origins))
        }
    }

    /// `entry` written as a browser writes its `Origin` header: scheme and host in lower case, and no
    /// port when it is the scheme's default.
    static func origin(_ entry: String) throws(CrossOriginSettingError) -> String {
        func refused(_ reason: String) -> CrossOriginSettingError { CrossOriginSettingError(entry: entry, reason: reason) }
        if entry == "*" { throw refused("means every origin, so it cannot be listed with others") }
        // Sandboxed frames and file:// pages all send `null`: trusting it would trust any of them.
        if entry.lowercased() == "null" { throw refused("is sent by any sandboxed or local page and cannot be trusted") }
        let lowered = entry.lowercased()
        let scheme: String, defaultPort: String
        if lowered.hasPrefix("https://") {
            (scheme, defaultPort) = ("https", "443")
        } else if lowered.hasPrefix("http://") {
            (scheme, defaultPort) = ("http", "80")
        } else {
            throw refused("is not an origin: it starts with https:// or http://")
        }
        let authority = lowered.dropFirst(scheme.count + 3)
        if authority.contains("/") || authority.contains("?") || authority.contains("#") {
            throw refused("has a path: an origin is only scheme://host[:port], with no slash after the host")
        }
        if authority.contains("@") { throw refused("has a user name: an origin is only scheme://host[:port]") }
        var host = authority[...], port: Substring?
        // An IPv6 address keeps its colons inside brackets.
        if let colon = authority.lastIndex(of: ":"), !authority[colon...].contains("]") {
            host = authority[..<colon]
            port = authority[authority.index(after: colon)...]
        }
        let hostCharacters = host.hasPrefix("[") ? "0123456789abcdef:.[]" : "abcdefghijklmnopqrstuvwxyz0123456789.-"
        guard !host.isEmpty, host.allSatisfy(hostCharacters.contains) else { throw refused("has no valid host name") }
        if let port {
            guard let number = Int(port), (1...65_535).contains(number), port.allSatisfy(\.isASCII) else {
                throw refused("has a port that is not a number from 1 to 65535")
            }
            if String(number) != defaultPort { return "\(scheme)://\(host):\(number)" }
        }
        return "\(scheme)://\(host)"
    }
}
