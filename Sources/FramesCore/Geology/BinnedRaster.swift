/// The pixels of a PNG of displayed rows whose empty bins must be transparent.
///
/// A palette image stays the cheap form: an index that no pixel uses is made transparent (tRNS)
/// and fills the empty rows. Only when the rows use all 256 values is there no index to spare, and
/// the image goes out as RGBA instead.
public enum BinnedRaster: Sendable, Equatable {
    /// Palette indices, with the transparent one when there are empty rows.
    case palette(indices: [UInt8], transparentIndex: UInt8?)
    /// RGBA quadruples, empty rows all zero.
    case rgba([UInt8])

    /// - Parameter palette: 256 RGB triples, the colour of each pixel value.
    public init(rows: DisplayedRows, width: Int, palette: [UInt8]) {
        let bins: [[UInt8]?]
        switch rows {
        case .frames(let frames): bins = frames.map(\.pixels)
        case .bins(let list): bins = list.map { $0?.frame.pixels }
        }
        let hasEmpty = bins.contains { $0 == nil }
        var spare: UInt8?
        if hasEmpty {
            var used = [Bool](repeating: false, count: 256)
            for row in bins { for pixel in row ?? [] { used[Int(pixel)] = true } }
            spare = used.lastIndex(of: false).map { UInt8($0) }
        }
        if !hasEmpty || spare != nil {
            var indices: [UInt8] = []
            indices.reserveCapacity(width * bins.count)
            for row in bins { indices.append(contentsOf: row ?? [UInt8](repeating: spare!, count: width)) }
            self = .palette(indices: indices, transparentIndex: spare)
            return
        }
        var rgba: [UInt8] = []
        rgba.reserveCapacity(4 * width * bins.count)
        for row in bins {
            guard let row else { rgba.append(contentsOf: repeatElement(0, count: 4 * width)); continue }
            for pixel in row {
                let entry = 3 * Int(pixel)
                rgba.append(contentsOf: [palette[entry], palette[entry + 1], palette[entry + 2], 255])
            }
        }
        self = .rgba(rgba)
    }
}
