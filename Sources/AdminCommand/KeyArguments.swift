import ArgumentParser

/// A key's name: what logs and metrics will label its requests with, so plain letters, digits and
/// `.`, `_`, `-`, `@`, at most 64 of them.
struct KeyName: ExpressibleByArgument {
    let text: String

    init?(argument: String) {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-@")
        guard (1...64).contains(argument.count), argument.allSatisfy(allowed.contains) else { return nil }
        text = argument
    }
}

/// `--datasets a,b`: one or more dataset names, comma-separated.
struct DatasetNames: ExpressibleByArgument {
    let names: [String]

    init?(argument: String) {
        let names = argument.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        guard !names.contains(where: \.isEmpty) else { return nil }
        self.names = names
    }
}

/// `--expires`: a date (`2027-01-31`, midnight UTC) or a UTC time (`2027-01-31T12:00Z`,
/// `2027-01-31T12:00:30Z`), kept as RFC 3339 for PostgreSQL to read; it refuses days that do not exist.
struct ExpiryDate: ExpressibleByArgument {
    let rfc3339: String

    init?(argument: String) {
        let digits = Array(argument.utf8).map { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") ? UInt8(ascii: "9") : $0 }
        switch String(decoding: digits, as: UTF8.self) {
        case "9999-99-99": rfc3339 = argument + "T00:00:00Z"
        case "9999-99-99T99:99Z": rfc3339 = String(argument.dropLast()) + ":00Z"
        case "9999-99-99T99:99:99Z": rfc3339 = argument
        default: return nil
        }
    }
}

/// `--grace`: how long a rotated key's old token keeps working: `0`, or a number of seconds, minutes,
/// hours or days (`90s`, `30m`, `24h`, `7d`).
struct GraceDuration: ExpressibleByArgument {
    let seconds: Int

    init(seconds: Int) { self.seconds = seconds }

    init?(argument: String) {
        if argument == "0" {
            seconds = 0
            return
        }
        let units = ["s": 1, "m": 60, "h": 3600, "d": 86400]
        guard let unit = argument.last.flatMap({ units[String($0)] }), let count = Int(argument.dropLast()),
              count >= 0, count <= 366 * 86400 / unit
        else { return nil }
        seconds = count * unit
    }

    var defaultValueDescription: String { "24h" }
}
