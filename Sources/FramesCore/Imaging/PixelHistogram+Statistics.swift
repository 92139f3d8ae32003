/// numpy's statistics of the counted pixels, computed from the counts alone.
/// Each is nil for an empty histogram, where numpy would return NaN or raise.
extension PixelHistogram {
    public var minimum: UInt8? {
        counts.firstIndex { $0 > 0 }.map { UInt8($0) }
    }

    public var maximum: UInt8? {
        counts.lastIndex { $0 > 0 }.map { UInt8($0) }
    }

    /// `numpy.mean`: numpy sums integers exactly in float64 (every partial sum is an integer below
    /// 2^53), then divides once, so this is the same double.
    public var mean: Double? {
        guard total > 0 else { return nil }
        var sum = 0
        for value in 0..<Self.binCount { sum += value * counts[value] }
        return Double(sum) / Double(total)
    }

    /// `numpy.std` (population, `ddof=0`): squared deviations from the mean, one term per value.
    /// numpy sums one term per pixel in its own order, so the last bits may differ.
    public var standardDeviation: Double? {
        guard let mean else { return nil }
        var squares = 0.0
        for value in 0..<Self.binCount where counts[value] > 0 {
            let deviation = Double(value) - mean
            squares += Double(counts[value]) * (deviation * deviation)
        }
        return (squares / Double(total)).squareRoot()
    }

    /// `numpy.percentile(pixels, p)` with its default `linear` method, operation for operation:
    /// the virtual index `(N - 1) * (p / 100)` falls between two order statistics `a <= b`, and with
    /// `g` its fractional part the result is `a + (b - a) * g` for `g < 0.5`, else
    /// `b - (b - a) * (1 - g)` (numpy's `_lerp`, which picks the form by `g` for accuracy).
    ///
    /// - Precondition: `0 <= p <= 100`.
    public func percentile(_ p: Double) -> Double? {
        precondition(p >= 0 && p <= 100, "a percentile is between 0 and 100, got \(p)")
        guard total > 0 else { return nil }
        let virtualIndex = Double(total - 1) * (p / 100)
        let lowerRank: Int, upperRank: Int
        if virtualIndex >= Double(total - 1) {
            lowerRank = total - 1
            upperRank = total - 1
        } else {
            lowerRank = Int(virtualIndex.rounded(.down))
            upperRank = lowerRank + 1
        }
        let gamma = virtualIndex - virtualIndex.rounded(.down)
        let a = Double(value(atRank: lowerRank)), b = Double(value(atRank: upperRank))
        let difference = b - a
        return gamma >= 0.5 ? b - difference * (1 - gamma) : a + difference * gamma
    }

    /// The value at 0-based position `rank` of the counted pixels sorted ascending.
    func value(atRank rank: Int) -> UInt8 {
        precondition(rank >= 0 && rank < total, "rank \(rank) outside 0..<\(total)")
        var seen = 0
        for value in 0..<Self.binCount {
            seen += counts[value]
            if seen > rank { return UInt8(value) }
        }
        preconditionFailure("counts do not add up to total")
    }
}
