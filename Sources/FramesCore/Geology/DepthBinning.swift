/// Fits a depth range into at most `height` rows: `height` equal-depth bins over `[top, bottom]`.
///
/// Bin k covers `[top + kΔ, top + (k+1)Δ)` with `Δ = (bottom − top) / height`; the last bin is
/// closed. In float64, a frame at depth d goes to
///
///     k = min(height − 1, floor(((d − top) · height) / (bottom − top)))
///
/// evaluated in exactly that order (numpy's `np.minimum(H - 1, np.floor((d - a) * H / (b - a)))`
/// gives the same integers), so d = bottom lands in the last bin even where rounding would give
/// `height`. The edges reported are `top + ((bottom − top) · k) / height`, with the last bin's
/// bottom exactly `bottom`. When `bottom == top` every frame is in bin 0.
///
/// Binning only applies when a range holds more frames than `height`
/// (`isNeeded(frameCount:height:)`); otherwise the frames go out unchanged.
public struct DepthBinning: Sendable, Equatable {
    public let top: Double
    public let bottom: Double
    public let height: Int

    public init(top: Double, bottom: Double, height: Int) {
        precondition(top.isFinite && bottom.isFinite && top <= bottom, "bins need a finite range, top <= bottom")
        precondition(height >= 1, "at least one bin")
        self.top = top
        self.bottom = bottom
        self.height = height
    }

    /// The bins for a requested range, clipped to the dataset's depth span; nil when they do not meet.
    public init?(range: DepthRange, datasetDepths: ClosedRange<Double>, height: Int) {
        let top = Swift.max(range.lower, datasetDepths.lowerBound)
        let bottom = Swift.min(range.upper, datasetDepths.upperBound)
        guard top <= bottom else { return nil }
        self.init(top: top, bottom: bottom, height: height)
    }

    public static func isNeeded(frameCount: Int, height: Int) -> Bool {
        frameCount > height
    }

    /// nil for a depth outside `[top, bottom]`.
    public func binIndex(ofDepth depth: Double) -> Int? {
        guard depth >= top, depth <= bottom else { return nil }
        guard bottom > top else { return 0 }
        let scaled = ((depth - top) * Double(height)) / (bottom - top)
        return Swift.min(height - 1, Int(scaled.rounded(.down)))
    }

    public func edges(ofBin index: Int) -> (top: Double, bottom: Double) {
        precondition(index >= 0 && index < height, "bin \(index) outside 0..<\(height)")
        func edge(_ k: Int) -> Double { top + ((bottom - top) * Double(k)) / Double(height) }
        return (edge(index), index == height - 1 ? bottom : edge(index + 1))
    }

    /// Exactly `height` entries, nil for a bin no frame falls in (an empty row: transparent in PNG,
    /// left out of JSON). Frames outside `[top, bottom]` are ignored.
    ///
    /// - Parameters:
    ///   - frames: sorted by depth, all with the same number of resized pixels.
    ///   - originalWidth: pixels per original row, which the stored statistics describe.
    public func bins(of frames: [StoredFrame], originalWidth: Int) -> [DepthBin?] {
        var bins = [DepthBin?](repeating: nil, count: height)
        var accumulator = BinAccumulator(originalWidth: originalWidth)
        var current = -1
        for frame in frames {
            guard let index = binIndex(ofDepth: frame.depth) else { continue }
            precondition(index >= current, "frames must be sorted by depth")
            if index != current {
                if current >= 0 { bins[current] = accumulator.bin(edges: edges(ofBin: current)) }
                accumulator = BinAccumulator(originalWidth: originalWidth)
                current = index
            }
            accumulator.add(frame)
        }
        if current >= 0 { bins[current] = accumulator.bin(edges: edges(ofBin: current)) }
        return bins
    }
}

/// The running sums of one bin.
private struct BinAccumulator {
    var columnSums: [Int] = []
    var statistics: PooledRowStatistics
    var ratioOriginalSum = 0.0
    var ratioResizedSum = 0.0

    init(originalWidth: Int) {
        statistics = PooledRowStatistics(pixelsPerRow: originalWidth)
    }

    mutating func add(_ frame: StoredFrame) {
        if columnSums.isEmpty { columnSums = [Int](repeating: 0, count: frame.pixels.count) }
        precondition(frame.pixels.count == columnSums.count, "frames of one dataset have one width")
        columnSums.withUnsafeMutableBufferPointer { sums in
            for (column, pixel) in frame.pixels.enumerated() { sums[column] += Int(pixel) }
        }
        statistics.add(frame.statistics)
        ratioOriginalSum += frame.compressionRatioOriginal
        ratioResizedSum += frame.compressionRatioResized
    }

    /// floor(sum / count + 1/2) in integers: (2·sum + count) / (2·count).
    func bin(edges: (top: Double, bottom: Double)) -> DepthBin {
        let count = statistics.rowCount
        let pixels = columnSums.map { UInt8((2 * $0 + count) / (2 * count)) }
        let frame = StoredFrame(depth: (edges.top + edges.bottom) / 2, statistics: statistics.combined!,
                                compressionRatioOriginal: ratioOriginalSum / Double(count),
                                compressionRatioResized: ratioResizedSum / Double(count), pixels: pixels)
        return DepthBin(top: edges.top, bottom: edges.bottom, frameCount: count, frame: frame)
    }
}
