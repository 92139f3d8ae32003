/// Everything that can go wrong choosing, parsing or loading a colormap.
///
/// Cases keep the offending pieces as values (so tests and callers can match on them) and
/// `message` turns them into one human sentence, suitable for an HTTP 400 body or a log line.
/// Stop indices are 0-based positions in the comma-separated spec; file lines are 1-based.
public indirect enum ColormapError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No map of that name; `valid` is the sorted list of names the registry knows.
    case unknownName(String, valid: [String])
    /// A stop's color is not `RRGGBB`, `#RRGGBB`, `RGB` or `#RGB`.
    case badHex(index: Int, text: String)
    /// A stop's position is not a number in 0...1, or the first is not 0 / the last not 1,
    /// or only some stops have positions.
    case badPosition(index: Int, text: String, reason: String)
    /// Position at `index` is smaller than the one before it.
    case nonMonotonicPositions(index: Int, text: String)
    /// Fewer than two stops.
    case tooFewColors(count: Int)
    /// More stops than `ColormapSpec.maximumStops`.
    case tooManyColors(count: Int, limit: Int)
    /// Both a map name and a custom spec were given: refusing beats silently ignoring one.
    case nameAndColorsBothGiven
    /// `vmin`/`vmax` not finite, or `vmin > vmax` (matplotlib's `Normalize` raises too).
    case invalidRange(vmin: Double, vmax: Double)

    // Problems found loading a folder of `NAME.colors` files: reported, never fatal.

    /// The folder itself could not be listed.
    case unreadableFolder(path: String, reason: String)
    /// A `.colors` file whose name is not `[A-Za-z0-9_-]+.colors`.
    case badFileName(file: String)
    /// A file that could not be read as UTF-8 text.
    case unreadableFile(file: String, reason: String)
    /// A problem inside a file: `line` is where it is (nil when it concerns the whole file).
    case badFile(file: String, line: Int?, problem: ColormapError)
    /// A file whose map (or its `_r`) would hide a built-in or an earlier file's map.
    case shadowsExistingName(file: String, name: String)

    public var message: String {
        switch self {
        case let .unknownName(name, valid):
            return "unknown colormap \"\(name)\"; valid names: \(valid.joined(separator: ", "))"
        case let .badHex(index, text):
            let shown = text.isEmpty ? "empty stop" : "\"\(text)\""
            return "color at index \(index): \(shown) is not RRGGBB, #RRGGBB, RGB or #RGB hex"
        case let .badPosition(index, text, reason):
            return "position at index \(index) (\"\(text)\"): \(reason)"
        case let .nonMonotonicPositions(index, text):
            return "position at index \(index) (\"\(text)\") is smaller than the one before it; positions must not decrease"
        case let .tooFewColors(count):
            return "a colormap needs at least 2 colors, got \(count)"
        case let .tooManyColors(count, limit):
            return "a colormap may have at most \(limit) colors, got \(count)"
        case .nameAndColorsBothGiven:
            return "give either a colormap name or custom colors, not both"
        case let .invalidRange(vmin, vmax):
            if !vmin.isFinite || !vmax.isFinite {
                return "vmin and vmax must be finite numbers (got vmin=\(vmin), vmax=\(vmax))"
            }
            return "vmin must be less than or equal to vmax (got vmin=\(vmin), vmax=\(vmax))"
        case let .unreadableFolder(path, reason):
            return "colormap folder \(path): \(reason)"
        case let .badFileName(file):
            return "colormap file \(file): the name must be [A-Za-z0-9_-]+ followed by .colors; skipped"
        case let .unreadableFile(file, reason):
            return "colormap file \(file): \(reason); skipped"
        case let .badFile(file, line, problem):
            let place = line.map { "\(file) line \($0)" } ?? file
            return "colormap file \(place): \(problem.message); skipped"
        case let .shadowsExistingName(file, name):
            return "colormap file \(file): \"\(name)\" is already defined (built-in names cannot be replaced); skipped"
        }
    }

    public var description: String { message }
}
