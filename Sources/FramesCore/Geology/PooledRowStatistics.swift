/// The statistics of several original rows taken together, from each row's stored statistics:
/// min of mins, max of maxes, and the mean and population std of all their pixels, as numpy would
/// compute them over the concatenated rows.
///
/// Every row of a dataset has the same original width `n`, and a row's stored mean and std are
/// numpy's `sum / n` and `sqrt(Σ(x − mean)² / n)`. Both are accurate to far better than 1/n, so
/// the row's integer pixel sum `n·mean` and sum of squares `n·(std² + mean²)` are recovered exactly
/// by rounding. The pooled mean is then `Σsum / N` (numpy's own float64 result, since numpy also
/// sums integers exactly) and the pooled variance `(N·Σsquares − (Σsum)²) / N²` is computed in
/// exact integers before one division, so no cancellation creeps in for nearly uniform rows.
public struct PooledRowStatistics: Sendable {
    public let pixelsPerRow: Int
    public private(set) var rowCount = 0
    private var minimum = UInt8.max
    private var maximum = UInt8.min
    private var sum: Int64 = 0
    private var sumOfSquares: Int64 = 0

    public init(pixelsPerRow: Int) {
        precondition(pixelsPerRow > 0, "rows have at least one pixel")
        self.pixelsPerRow = pixelsPerRow
    }

    public mutating func add(_ row: RowStatistics) {
        let n = Double(pixelsPerRow)
        rowCount += 1
        minimum = Swift.min(minimum, row.min)
        maximum = Swift.max(maximum, row.max)
        sum += Int64((row.mean * n).rounded())
        sumOfSquares += Int64((n * (row.std * row.std + row.mean * row.mean)).rounded())
    }

    /// nil before the first row.
    public var combined: RowStatistics? {
        guard rowCount > 0 else { return nil }
        let count = Int64(rowCount) * Int64(pixelsPerRow)
        let mean = Double(sum) / Double(count)
        let numerator = Int128(count) * Int128(sumOfSquares) - Int128(sum) * Int128(sum)
        let variance = Double(numerator) / (Double(count) * Double(count))
        return RowStatistics(min: minimum, max: maximum, mean: mean, std: variance.squareRoot())
    }
}
