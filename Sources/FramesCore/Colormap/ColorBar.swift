/// A colour bar (legend) as a palette-index raster: with `Colormap.palette(vmin:vmax:)` as the
/// PNG palette it shows what colour each pixel value 0...255 gets under that value window, so the
/// stretch is visible in the legend itself.
///
/// It reproduces matplotlib's colorbar of the 256-entry palette (`Normalize(0, 255)`): 256 bands
/// of equal length, band v in palette entry v. A pixel takes the band under its centre: pixel i of
/// a bar L pixels long gets `floor((2i + 1) · 256 / (2L))`. Where a centre sits exactly on a band
/// boundary Agg blends the two neighbours, a colour no palette has; the upper band is taken there.
/// Horizontal bars run from value 0 on the left; vertical ones have value 255 at the top, as
/// matplotlib draws them.
public struct ColorBar: Sendable, Equatable {
    public enum Orientation: String, Sendable, CaseIterable {
        case horizontal
        case vertical
    }

    public var width: Int
    public var height: Int
    public var orientation: Orientation

    public init(width: Int, height: Int, orientation: Orientation) {
        precondition(width >= 1 && height >= 1, "a colour bar has at least one pixel")
        self.width = width
        self.height = height
        self.orientation = orientation
    }

    /// The palette entry of each pixel along the bar, from its start (left, or top when vertical).
    public var entriesAlong: [UInt8] {
        let length = orientation == .horizontal ? width : height
        let entries = (0..<length).map { UInt8((2 * $0 + 1) * 256 / (2 * length)) }
        return orientation == .horizontal ? entries : entries.reversed()
    }

    /// `width × height` palette indices, row by row from the top.
    public var indices: [UInt8] {
        let along = entriesAlong
        var raster: [UInt8] = []
        raster.reserveCapacity(width * height)
        switch orientation {
        case .horizontal:
            for _ in 0..<height { raster.append(contentsOf: along) }
        case .vertical:
            for entry in along { raster.append(contentsOf: repeatElement(entry, count: width)) }
        }
        return raster
    }
}
