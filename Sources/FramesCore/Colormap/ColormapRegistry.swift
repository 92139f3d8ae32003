/// The colormaps a request may name: matplotlib's built-ins plus, optionally, a folder of
/// `NAME.colors` files a sysadmin maintains. Every map `NAME` also answers to `NAME_r`.
///
/// Built once at startup (reading files is not per-request work), then shared read-only.
public struct ColormapRegistry: Sendable {
    /// Used when a request names no map and gives no colors.
    public static let defaultName = "viridis"

    /// Name given to maps built from a request's custom `colors` spec.
    public static let customName = "custom"

    /// The built-in maps only, decoded from the generated tables on first use.
    public static let builtin = ColormapRegistry(maps: builtinMaps())

    private let maps: [String: Colormap]

    /// Every name `colormap(named:)` accepts, `_r` variants included, sorted.
    public let names: [String]

    private init(maps: [String: Colormap]) {
        self.maps = maps
        self.names = maps.keys.sorted()
    }

    /// The built-ins plus every valid `NAME.colors` file in `path`. The caller lists the folder and reads
    /// its files (`listing`, `reading` get a path; what they throw describes itself as the reason), so
    /// that this core stays free of system calls.
    ///
    /// A file that cannot be used (bad name, unreadable, bad stops, or a name that is taken) is
    /// skipped and reported in `problems` for the caller to log; the others still load.
    /// Files not ending in `.colors` are ignored, so notes and editor backups can live there.
    public static func loading(builtinPlusFolder path: String, listing: (String) throws -> [String],
                               reading: (String) throws -> String) -> (registry: ColormapRegistry, problems: [ColormapError]) {
        var maps = builtin.maps
        var problems: [ColormapError] = []
        let files: [String]
        do {
            files = try listing(path)
        } catch {
            problems.append(.unreadableFolder(path: path, reason: "\(error)"))
            return (ColormapRegistry(maps: maps), problems)
        }
        // Sorted so that which of two clashing files wins does not depend on directory order.
        for file in files.sorted() where file.hasSuffix(Self.fileExtension) {
            let name = String(file.dropLast(Self.fileExtension.count))
            guard Self.isValidFileName(name) else {
                problems.append(.badFileName(file: file))
                continue
            }
            let text: String
            do {
                text = try reading(path + "/" + file)
            } catch {
                problems.append(.unreadableFile(file: file, reason: "\(error)"))
                continue
            }
            let spec: ColormapSpec
            switch Self.parseFile(text) {
            case .success(let parsed): spec = parsed
            case .failure(let failure):
                problems.append(.badFile(file: file, line: failure.line, problem: failure.error))
                continue
            }
            let reversedName = name + "_r"
            if let taken = [name, reversedName].first(where: { maps[$0] != nil }) {
                problems.append(.shadowsExistingName(file: file, name: taken))
                continue
            }
            let colormap = spec.colormap(named: name)
            maps[name] = colormap
            maps[reversedName] = colormap.reversed(named: reversedName)
        }
        return (ColormapRegistry(maps: maps), problems)
    }

    public func colormap(named name: String) throws(ColormapError) -> Colormap {
        guard let colormap = maps[name] else { throw .unknownName(name, valid: names) }
        return colormap
    }

    /// The map for a request's `name` / `colors` parameters: a custom spec, a named map, or
    /// the default when neither is given. Giving both is an error rather than a silent choice.
    /// Empty strings count as not given (an HTML form submits its empty fields).
    public func resolve(name: String?, colors: String?) throws(ColormapError) -> Colormap {
        let name = name.flatMap { $0.isEmpty ? nil : $0 }
        let colors = colors.flatMap { $0.isEmpty ? nil : $0 }
        switch (name, colors) {
        case (.some, .some):
            throw .nameAndColorsBothGiven
        case (nil, let colors?):
            return try ColormapSpec(parsing: colors).colormap(named: Self.customName)
        case (let name?, nil):
            return try colormap(named: name)
        case (nil, nil):
            return try colormap(named: Self.defaultName)
        }
    }

    // MARK: - Folder files

    static let fileExtension = ".colors"

    static func isValidFileName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.allSatisfy {
            ($0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z")) || ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z"))
                || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9"))
                || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-")
        }
    }

    struct FileFailure: Error {
        /// 1-based; nil when the problem is the file as a whole (too few / many stops).
        var line: Int?
        var error: ColormapError
    }

    /// A `.colors` file: the spec syntax with stops on lines and/or separated by commas.
    /// Blank lines and `#` followed by a space, tab or the line's end are comments, so a line
    /// starting `#RRGGBB` is still a color. Empty pieces (a trailing comma) are ignored.
    static func parseFile(_ text: String) -> Result<ColormapSpec, FileFailure> {
        var tokens: [Substring] = []
        var lineOfToken: [Int] = []
        // isNewline, not "\n": Swift reads "\r\n" as one Character, so a CRLF file has no "\n".
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        for (offset, rawLine) in lines.enumerated() {
            let line = rawLine.trimmingBlanks
            if line.isEmpty || isComment(line) { continue }
            for piece in line.split(separator: ",", omittingEmptySubsequences: false) {
                let token = piece.trimmingBlanks
                if token.isEmpty { continue }
                tokens.append(token)
                lineOfToken.append(offset + 1)
            }
        }
        do {
            return .success(try ColormapSpec(tokens: tokens))
        } catch {
            let index: Int?
            switch error {
            case let .badHex(i, _), let .badPosition(i, _, _), let .nonMonotonicPositions(i, _): index = i
            default: index = nil
            }
            return .failure(FileFailure(line: index.map { lineOfToken[$0] }, error: error))
        }
    }

    private static func isComment(_ line: Substring) -> Bool {
        guard line.first == "#" else { return false }
        let rest = line.dropFirst()
        return rest.isEmpty || rest.first == " " || rest.first == "\t"
    }

    // MARK: - Built-ins

    private static func builtinMaps() -> [String: Colormap] {
        var maps: [String: Colormap] = [:]
        for entry in BuiltinColormapTables.entries {
            let table = decodeHex(entry.hex)
            let reversedName = entry.name + "_r"
            let colormap = entry.reversedHex.map {
                Colormap(name: entry.name, table: table, reversedTable: decodeHex($0))
            } ?? Colormap(name: entry.name, table: table)
            maps[entry.name] = colormap
            maps[reversedName] = colormap.reversed(named: reversedName)
        }
        return maps
    }

    private static func decodeHex(_ hex: String) -> [UInt8] {
        func nibble(_ c: UInt8) -> UInt8 {
            guard let value = c.hexDigitValue else { preconditionFailure("generated colormap table is not hex") }
            return value
        }
        let chars = Array(hex.utf8)
        precondition(chars.count == 1536, "generated colormap table is not 768 bytes")
        return (0..<768).map { nibble(chars[2 * $0]) << 4 | nibble(chars[2 * $0 + 1]) }
    }
}
