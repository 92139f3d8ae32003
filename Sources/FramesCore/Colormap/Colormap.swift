/// A 256-entry RGB colormap, applied to palette-index pixels (0...255) at request time.
///
/// `table` is matplotlib's `trunc(cmap(i/255)[:3] * 255)` for i in 0...255. A request builds
/// one `palette(vmin:vmax:)` (256 RGB triples) and then indexes it per pixel: PNG output can use
/// it directly as PLTE, JSON output reads three bytes per pixel.
public struct Colormap: Sendable, Equatable {
    public let name: String
    /// 768 bytes: R, G, B for entry 0, then entry 1, …
    public let table: [UInt8]
    /// matplotlib's `NAME_r` table. Kept alongside because reversing a segmented map in
    /// matplotlib recomputes its lookup table, which is not always a flip of `table`.
    let reversedTable: [UInt8]

    /// A listed colormap (like viridis): its reverse is exactly the flipped table.
    public init(name: String, table: [UInt8]) {
        self.init(name: name, table: table, reversedTable: Self.flipped(table))
    }

    init(name: String, table: [UInt8], reversedTable: [UInt8]) {
        precondition(table.count == 768 && reversedTable.count == 768, "a colormap table is 256 RGB triples")
        self.name = name
        self.table = table
        self.reversedTable = reversedTable
    }

    /// The map matplotlib calls `NAME_r` (default name: this name + "_r").
    public func reversed(named name: String? = nil) -> Colormap {
        Colormap(name: name ?? self.name + "_r", table: reversedTable, reversedTable: table)
    }

    /// RGB for each pixel value 0...255 (768 bytes) after matplotlib's `Normalize(vmin, vmax)`
    /// and `Colormap.__call__`. A missing bound defaults to the pixel range's end (0 or 255),
    /// which is what matplotlib's autoscaling would pick over all pixel values; with neither
    /// given the palette is exactly `table`.
    ///
    /// - Throws: `.invalidRange` when a bound is not finite or `vmin > vmax` (matplotlib raises
    ///   for the latter; a NaN would give its transparent "bad" color, which has no place here).
    public func palette(vmin: Double? = nil, vmax: Double? = nil) throws(ColormapError) -> [UInt8] {
        let lo = vmin ?? 0, hi = vmax ?? 255
        guard lo.isFinite, hi.isFinite, lo <= hi else { throw .invalidRange(vmin: lo, vmax: hi) }
        if lo == 0, hi == 255 { return table } // v/255 then trunc(x*256) is entry v: the table
        var palette = [UInt8](repeating: 0, count: 768)
        for value in 0..<256 {
            let entry = Self.entry(forPixel: Double(value), vmin: lo, vmax: hi)
            palette[3 * value] = table[3 * entry]
            palette[3 * value + 1] = table[3 * entry + 1]
            palette[3 * value + 2] = table[3 * entry + 2]
        }
        return palette
    }

    /// Which of the 256 entries matplotlib picks for one pixel value.
    static func entry(forPixel value: Double, vmin: Double, vmax: Double) -> Int {
        // Normalize: vmin == vmax maps everything to 0 (not 0.5, not a step), else float64
        // (value - vmin) / (vmax - vmin) with no clipping.
        let x = vmin == vmax ? 0.0 : (value - vmin) / (vmax - vmin)
        // Colormap.__call__: x * N, x == 1 folded onto the last entry, then below 0 is the
        // "under" color and >= N the "over" color, which default to the first and last entries.
        var scaled = x * 256
        if scaled == 256 { scaled = 255 }
        if scaled.isNaN || scaled < 0 { return 0 } // NaN cannot come from finite bounds
        if scaled >= 256 { return 255 }
        return Int(scaled) // truncation, as numpy's astype(int)
    }

    static func flipped(_ table: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: table.count)
        let count = table.count / 3
        for i in 0..<count {
            let j = count - 1 - i
            out[3 * i] = table[3 * j]
            out[3 * i + 1] = table[3 * j + 1]
            out[3 * i + 2] = table[3 * j + 2]
        }
        return out
    }
}
