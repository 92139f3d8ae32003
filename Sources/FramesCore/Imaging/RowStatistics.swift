/// Statistics of one original image row, as numpy computes them:
/// `min`, `max`, `mean` and the population standard deviation (`ddof=0`).
public struct RowStatistics: Sendable, Equatable {
    public var min: UInt8
    public var max: UInt8
    public var mean: Double
    public var std: Double

    public init(min: UInt8, max: UInt8, mean: Double, std: Double) {
        self.min = min
        self.max = max
        self.mean = mean
        self.std = std
    }

    /// Two passes (mean, then squared deviations) as numpy does, so results agree to the last bits
    /// far more often than the one-pass formula would.
    public init(of pixels: [UInt8]) {
        precondition(!pixels.isEmpty, "statistics of an empty row")
        var lo = UInt8.max, hi = UInt8.min, sum = 0
        for p in pixels {
            lo = Swift.min(lo, p)
            hi = Swift.max(hi, p)
            sum += Int(p)
        }
        let count = Double(pixels.count)
        let mean = Double(sum) / count
        var squares = 0.0
        for p in pixels {
            let d = Double(p) - mean
            squares += d * d
        }
        self.init(min: lo, max: hi, mean: mean, std: (squares / count).squareRoot())
    }
}
