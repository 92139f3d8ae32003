/// Histogram equalization of stored rows, as image logs are read: a pixel value v becomes
/// `floor(255 · C(v) / n)`, where n is the number of pixels in the frame's window and C(v) how
/// many of them are <= v. The floor is exact (`ExactQuotient`).
///
/// - Static: the window is every frame of the dataset, so one lookup table serves every row.
/// - Dynamic: the window of a frame at depth d is every row with `|depth − d| <= window / 2`
///   (float64, evaluated as written). For a regular depth step this is
///   `skimage.filters.rank.equalize` with a footprint of (2k+1) rows by (2·width − 1) columns.
///
/// Only pixels change; depths and metadata stay those of the stored frames.
public enum HistogramEqualization {
    /// `table[v] = floor(255 · C(v) / n)`; all zeros for an empty histogram (as skimage does).
    public static func lookupTable(_ histogram: PixelHistogram) -> [UInt8] {
        guard histogram.total > 0 else { return [UInt8](repeating: 0, count: PixelHistogram.binCount) }
        let quotient = ExactQuotient(divisor: histogram.total, largestDividend: 255 * histogram.total)
        var cumulative = 0
        return histogram.counts.map { count in
            cumulative += count
            return UInt8(quotient.of(255 * cumulative))
        }
    }

    /// Static normalization: `datasetHistogram` counts every stored pixel of the dataset.
    public static func equalized(_ frames: [StoredFrame], datasetHistogram: PixelHistogram) -> [StoredFrame] {
        let table = lookupTable(datasetHistogram)
        return frames.map { frame in
            var frame = frame
            frame.pixels = frame.pixels.map { table[Int($0)] }
            return frame
        }
    }

    /// The depths whose rows a dynamic window of frames in `span` can reach: `span` widened by
    /// `window / 2` each side, plus a few ulps, because the window test `|x − d| <= window / 2`
    /// rounds differently than a query's `depth <= upper + window / 2`. Rows this lets in that no
    /// window reaches are ignored by `equalized(_:targets:window:)`.
    public static func contextSpan(of span: ClosedRange<Double>, window: Double) -> ClosedRange<Double> {
        let half = window / 2
        let lower = finite(span.lowerBound - half), upper = finite(span.upperBound + half)
        // Each rounding involved is at most half an ulp of the largest magnitude in play.
        let margin = 4 * Swift.max(abs(lower), abs(upper), half).ulp
        return finite(lower - margin)...finite(upper + margin)
    }

    /// A bound past the largest double is every stored depth on that side; an infinite one would make the
    /// margin's ulp NaN and the range invalid.
    private static func finite(_ bound: Double) -> Double {
        Swift.min(Swift.max(bound, -.greatestFiniteMagnitude), .greatestFiniteMagnitude)
    }

    /// Dynamic normalization of `rows[targets]`.
    ///
    /// Each frame's window is read from `rows`, which must be sorted by depth and hold every row
    /// that can be in a target's window: all frames of the dataset with depth in
    /// `[first target − window/2, last target + window/2]` (`contextSpan`). Extra rows are
    /// harmless: they are never in a window. The window slides: each row's pixels are added to a
    /// running histogram once and removed once, so the cost is O(rows × width + targets × 256) whatever the depth steps and gaps.
    ///
    /// - Precondition: `window > 0`.
    public static func equalized(_ rows: [StoredFrame], targets: Range<Int>, window: Double) -> [StoredFrame] {
        precondition(window > 0 && window.isFinite, "the window is a positive depth")
        precondition(targets.clamped(to: rows.indices) == targets, "targets index into rows")
        let half = window / 2
        var histogram = PixelHistogram()
        // cumulative[v] = C(v) for the current window.
        var cumulative = [Int](repeating: 0, count: PixelHistogram.binCount)
        // rows[first..<end] are in the histogram.
        var first = 0, end = 0
        var out: [StoredFrame] = []
        out.reserveCapacity(targets.count)
        for target in targets {
            let depth = rows[target].depth
            // |x − d| <= half, split by sign: x − d rounds to −(d − x), so these are the same
            // comparisons, and each side only moves forward as d grows.
            while end < rows.count, rows[end].depth - depth <= half {
                histogram.add(rows[end].pixels)
                end += 1
            }
            while depth - rows[first].depth > half {
                histogram.remove(rows[first].pixels)
                first += 1
            }
            var frame = rows[target]
            let quotient = ExactQuotient(divisor: histogram.total, largestDividend: 255 * histogram.total)
            // Rows are narrower than the 256-entry table, so values are computed per pixel from
            // the running counts rather than a whole table per row.
            histogram.counts.withUnsafeBufferPointer { counts in
                cumulative.withUnsafeMutableBufferPointer { cumulative in
                    var sum = 0
                    for value in 0..<PixelHistogram.binCount {
                        sum += counts[value]
                        cumulative[value] = sum
                    }
                    frame.pixels = frame.pixels.map {
                        UInt8(quotient.of(255 * cumulative[Int($0)]))
                    }
                }
            }
            out.append(frame)
        }
        return out
    }
}
