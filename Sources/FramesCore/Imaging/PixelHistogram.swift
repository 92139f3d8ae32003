/// How many pixels of some rows have each 8-bit value: the one summary that range statistics,
/// percentile stretches and histogram equalization all read.
///
/// Histograms of disjoint sets of rows add up (`merge`), so counts kept per row or per block of
/// rows at ingest can be combined for any range without reading the pixels again.
public struct PixelHistogram: Sendable, Equatable {
    public static let binCount = 256

    /// `counts[v]` is the number of pixels equal to `v`; always 256 entries.
    public private(set) var counts: [Int]
    /// The number of pixels counted: the sum of `counts`.
    public private(set) var total: Int

    public init() {
        counts = [Int](repeating: 0, count: Self.binCount)
        total = 0
    }

    public init(counts: [Int]) {
        precondition(counts.count == Self.binCount, "a pixel histogram has 256 counts, got \(counts.count)")
        precondition(counts.allSatisfy { $0 >= 0 }, "a pixel histogram cannot hold negative counts")
        self.counts = counts
        total = counts.reduce(0, +)
    }

    /// The histogram of every pixel of `rows`.
    public init(rows: some Sequence<[UInt8]>) {
        self.init()
        for row in rows { add(row) }
    }

    public mutating func add(_ pixels: [UInt8]) {
        counts.withUnsafeMutableBufferPointer { counts in
            for pixel in pixels { counts[Int(pixel)] += 1 }
        }
        total += pixels.count
    }

    /// Takes back pixels added before (a row leaving a sliding window).
    public mutating func remove(_ pixels: [UInt8]) {
        counts.withUnsafeMutableBufferPointer { counts in
            for pixel in pixels { counts[Int(pixel)] -= 1 }
        }
        total -= pixels.count
        assert(total >= 0 && counts.allSatisfy { $0 >= 0 }, "removed pixels that were never added")
    }

    /// Adds another histogram's counts: the histogram of both sets of pixels together.
    public mutating func merge(_ other: PixelHistogram) {
        for value in 0..<Self.binCount { counts[value] += other.counts[value] }
        total += other.total
    }
}
