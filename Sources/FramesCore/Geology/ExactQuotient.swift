/// `floor(x / divisor)` for every `x` in `0...largestDividend` by one multiplication and a shift, with
/// no division per call: equalization divides every pixel by the same window size.
///
/// With `k` bits enough for the largest dividend and `ℓ = ceil(log2 divisor)`, the multiplier is
/// `m = floor(2^(k+ℓ) / divisor) + 1`. Then `m · divisor − 2^(k+ℓ)` lies in `1...divisor`, at most
/// `2^ℓ`, which is Granlund and Montgomery's condition (1994, theorem 4.2) for
/// `floor(m · x / 2^(k+ℓ)) = floor(x / divisor)` on all `x < 2^k`. The product is taken in 128 bits.
public struct ExactQuotient: Sendable {
    private let multiplier: UInt64
    private let shift: Int

    /// - Precondition: `divisor >= 1`, `largestDividend >= 0`, both below 2^62.
    public init(divisor: Int, largestDividend: Int) {
        precondition(divisor >= 1 && largestDividend >= 0 && divisor < 1 << 62 && largestDividend < 1 << 62,
                     "a positive divisor and a nonnegative dividend below 2^62")
        let k = max(1, Int.bitWidth - largestDividend.leadingZeroBitCount)
        let ell = Int.bitWidth - (divisor - 1).leadingZeroBitCount  // ceil(log2 divisor)
        shift = k + ell
        // 2^shift in 128 bits over the divisor: the quotient is below 2^(k+1), so it fits.
        let high: UInt64 = shift >= 64 ? 1 << UInt64(shift - 64) : 0
        let low: UInt64 = shift < 64 ? 1 << UInt64(shift) : 0
        multiplier = UInt64(divisor).dividingFullWidth((high, low)).quotient + 1
    }

    @inline(__always)
    public func of(_ dividend: Int) -> Int {
        let (high, low) = UInt64(truncatingIfNeeded: dividend).multipliedFullWidth(by: multiplier)
        if shift >= 64 { return Int(truncatingIfNeeded: high >> UInt64(shift - 64)) }
        return Int(truncatingIfNeeded: (high << UInt64(64 - shift)) | (low >> UInt64(shift)))
    }
}
