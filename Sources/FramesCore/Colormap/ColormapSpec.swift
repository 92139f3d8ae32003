/// A custom colormap given as color stops: `HEX,HEX,…` (evenly spaced) or `POS:HEX,…`.
///
/// `HEX` is `RRGGBB`, `#RRGGBB`, `RGB` or `#RGB` (any case). Positions run from exactly 0 to
/// exactly 1 and may repeat (a hard edge), never decrease.
///
/// The table is bit-identical to matplotlib's
/// `LinearSegmentedColormap.from_list(name, colors, N=256)` sampled as
/// `trunc(cmap(i/255)[:3] * 255)`: the float64 steps of numpy's `linspace` and of
/// matplotlib's `_create_lookup_table` are repeated operation by operation, because a
/// reordered or fused expression moves some truncations by one.
public struct ColormapSpec: Sendable, Equatable {
    public struct Stop: Sendable, Equatable {
        /// 0...1.
        public var position: Double
        /// Channels in 0...1, as matplotlib's `to_rgba` makes them (`byte / 255`).
        public var red: Double
        public var green: Double
        public var blue: Double
    }

    /// Caps the work one request can ask for; 256 stops already give every table entry its own.
    public static let maximumStops = 256

    public let stops: [Stop]

    /// Parses a comma-separated spec, e.g. a request's `colors` parameter.
    public init(parsing spec: String) throws(ColormapError) {
        let trimmed = spec[...].trimmingBlanks
        let tokens = trimmed.isEmpty ? [] : trimmed.split(separator: ",", omittingEmptySubsequences: false)
        try self.init(tokens: tokens)
    }

    /// Parses stops already split apart (the folder loader splits on lines as well as commas).
    /// Errors name a token's index in `tokens`.
    init(tokens: [Substring]) throws(ColormapError) {
        guard tokens.count >= 2 else { throw .tooFewColors(count: tokens.count) }
        guard tokens.count <= Self.maximumStops else {
            throw .tooManyColors(count: tokens.count, limit: Self.maximumStops)
        }
        let positioned = tokens[0].contains(":")
        var stops: [Stop] = []
        stops.reserveCapacity(tokens.count)
        for (index, token) in tokens.enumerated() {
            let colorText: Substring
            let position: Double
            if let colon = token.firstIndex(of: ":") {
                let positionText = token[..<colon].trimmingBlanks
                guard positioned else {
                    throw .badPosition(index: index, text: String(positionText),
                                       reason: "either every color has a position or none does")
                }
                colorText = token[token.index(after: colon)...]
                position = try Self.position(positionText, index: index, isLast: index == tokens.count - 1)
                if let previous = stops.last, position < previous.position {
                    throw .nonMonotonicPositions(index: index, text: String(positionText))
                }
            } else {
                guard !positioned else {
                    throw .badPosition(index: index, text: String(token.trimmingBlanks),
                                       reason: "either every color has a position or none does")
                }
                colorText = token
                position = 0 // replaced by the linspace below
            }
            guard let (red, green, blue) = Self.channels(colorText.trimmingBlanks) else {
                throw .badHex(index: index, text: String(colorText.trimmingBlanks))
            }
            stops.append(Stop(position: position, red: red, green: green, blue: blue))
        }
        if !positioned {
            // numpy.linspace(0, 1, n): i * (1 / (n - 1)), then the last forced to exactly 1.
            let step = 1.0 / Double(stops.count - 1)
            for i in stops.indices { stops[i].position = Double(i) * step }
            stops[stops.count - 1].position = 1.0
        }
        self.stops = stops
    }

    init(stops: [Stop]) {
        self.stops = stops
    }

    /// What matplotlib's `LinearSegmentedColormap.reversed()` interpolates:
    /// rows `(1 - x, …)` in reverse order. Recomputing from these (rather than flipping the table)
    /// is what makes `NAME_r` match matplotlib's, which is not always the flip.
    public func reversed() -> ColormapSpec {
        ColormapSpec(stops: stops.reversed().map {
            Stop(position: 1.0 - $0.position, red: $0.red, green: $0.green, blue: $0.blue)
        })
    }

    /// The 768-byte RGB table: `trunc(cmap(i/255)[:3] * 255)` for i in 0...255.
    public func table() -> [UInt8] {
        let red = lookupTable(stops.map(\.red))
        let green = lookupTable(stops.map(\.green))
        let blue = lookupTable(stops.map(\.blue))
        var table = [UInt8](repeating: 0, count: 768)
        // cmap(i/255) on a 256-entry map reads lut[i]: trunc(i/255 * 256) == i for i < 255,
        // and 1.0 * 256 is folded back onto 255.
        for i in 0..<256 {
            table[3 * i] = UInt8(red[i] * 255)
            table[3 * i + 1] = UInt8(green[i] * 255)
            table[3 * i + 2] = UInt8(blue[i] * 255)
        }
        return table
    }

    /// This spec as a colormap whose `reversed(named:)` is matplotlib's `reversed()`.
    public func colormap(named name: String) -> Colormap {
        Colormap(name: name, table: table(), reversedTable: reversed().table())
    }

    /// matplotlib's `_create_lookup_table(256, rows, gamma=1)` for one channel.
    private func lookupTable(_ y: [Double]) -> [Double] {
        let n = 256
        let x = stops.map { $0.position * Double(n - 1) }
        let sampleStep = 1.0 / Double(n - 1) // linspace(0, 1, N) step
        var lut = [Double](repeating: 0, count: n)
        lut[0] = y[0]
        lut[n - 1] = y[y.count - 1]
        // searchsorted(x, xind, side="left"); xind only grows, so the index only moves forward.
        // x[0] == 0 < xind and x[last] == 255 > xind keep 1 <= j <= last.
        var j = 0
        for i in 1..<(n - 1) {
            let xind = Double(n - 1) * (Double(i) * sampleStep)
            while x[j] < xind { j += 1 }
            let distance = (xind - x[j - 1]) / (x[j] - x[j - 1])
            let delta = y[j] - y[j - 1]
            // numpy rounds the product before adding: a fused multiply-add (addingProduct)
            // moves some entries by one, as the fixtures show.
            let scaled = distance * delta
            lut[i] = scaled + y[j - 1]
        }
        return lut.map { Swift.min(Swift.max($0, 0.0), 1.0) }
    }

    private static func position(_ text: Substring, index: Int, isLast: Bool) throws(ColormapError) -> Double {
        // Plain decimals only: Double(_:) would also take "nan", "inf" and hex floats.
        let decimal = !text.isEmpty && text.utf8.allSatisfy {
            ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) || $0 == UInt8(ascii: ".")
                || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E")
                || $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "-")
        }
        guard decimal, let value = Double(text), value.isFinite else {
            throw .badPosition(index: index, text: String(text), reason: "not a number")
        }
        guard value >= 0, value <= 1 else {
            throw .badPosition(index: index, text: String(text), reason: "must be between 0 and 1")
        }
        if index == 0, value != 0 {
            throw .badPosition(index: index, text: String(text), reason: "the first position must be 0")
        }
        if isLast, value != 1 {
            throw .badPosition(index: index, text: String(text), reason: "the last position must be 1")
        }
        return value
    }

    /// `RRGGBB` / `RGB` with optional `#` → channels as matplotlib computes them
    /// (`n / 0xff`, and `n / 0xf` for the short form, which is the same double as `17n / 255`).
    private static func channels(_ text: Substring) -> (Double, Double, Double)? {
        var digits: [UInt8] = []
        for (offset, byte) in text.utf8.enumerated() {
            if offset == 0, byte == UInt8(ascii: "#") { continue }
            guard let digit = byte.hexDigitValue else { return nil }
            digits.append(digit)
            if digits.count > 6 { return nil }
        }
        switch digits.count {
        case 6:
            func channel(_ k: Int) -> Double { Double(Int(digits[k]) * 16 + Int(digits[k + 1])) / 255.0 }
            return (channel(0), channel(2), channel(4))
        case 3:
            return (Double(digits[0]) / 15.0, Double(digits[1]) / 15.0, Double(digits[2]) / 15.0)
        default:
            return nil
        }
    }
}
