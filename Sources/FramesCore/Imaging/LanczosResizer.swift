import RealModule

/// Horizontal Lanczos (a = 3) resampling of 8-bit grayscale rows, bit-exact with Pillow's
/// `Image.resize((W, 1), Image.LANCZOS)` on a one-row "L" image.
///
/// For such an image Pillow runs only its horizontal pass (`ImagingResampleHorizontal_8bpc` in
/// libImaging/Resample.c), so mirroring that pass is enough: coefficients are computed in `Double`
/// in the same order of operations, normalised, then rounded to 22-bit fixed point; every output
/// pixel is an `Int32` dot product rounded by a pre-added half and clamped.
public struct LanczosResizer: Sendable {
    public let sourceWidth: Int
    public let targetWidth: Int

    /// Every output pixel reads exactly `window` consecutive source pixels starting at
    /// `starts[x]`. Pillow's windows vary in length near the edges; padding them with zero
    /// coefficients (and sliding edge windows inwards) keeps the sums identical while giving the
    /// hot loop a fixed trip count and no edge branches.
    private let window: Int
    private let starts: [Int]
    private let coefficients: [Int32]

    /// Pillow's PRECISION_BITS: 8 bits of pixel, 2 bits of headroom for overshoot, in an Int32.
    private static let precisionBits = 32 - 8 - 2
    private static let support = 3.0

    public init(sourceWidth: Int, targetWidth: Int) {
        precondition(sourceWidth >= 1 && targetWidth >= 1, "widths must be at least 1")
        self.sourceWidth = sourceWidth
        self.targetWidth = targetWidth

        // Pillow's `precompute_coeffs`, step for step: the rounding below depends on it.
        let scale = Double(sourceWidth) / Double(targetWidth)
        let filterScale = Swift.max(scale, 1.0)
        let support = Self.support * filterScale
        let kernelSize = Int(support.rounded(.up)) * 2 + 1
        let window = Swift.min(kernelSize, sourceWidth)
        let one = Double(1 << Self.precisionBits)

        var starts = [Int](repeating: 0, count: targetWidth)
        var coefficients = [Int32](repeating: 0, count: targetWidth * window)
        var weights = [Double](repeating: 0, count: kernelSize)
        for xx in 0..<targetWidth {
            let center = (Double(xx) + 0.5) * scale
            let inverse = 1.0 / filterScale
            let xmin = Swift.max(Int(center - support + 0.5), 0)
            let count = Swift.min(Int(center + support + 0.5), sourceWidth) - xmin
            var total = 0.0
            for x in 0..<count {
                let w = Self.lanczos((Double(x + xmin) - center + 0.5) * inverse)
                weights[x] = w
                total += w
            }
            let start = Swift.min(xmin, sourceWidth - window)
            starts[xx] = start
            for x in 0..<count {
                let w = total != 0.0 ? weights[x] / total : weights[x]
                // C's (int) cast truncates, so Pillow rounds half away from zero by hand.
                let fixed = w < 0 ? Int32(-0.5 + w * one) : Int32(0.5 + w * one)
                coefficients[xx * window + xmin - start + x] = fixed
            }
        }
        self.window = window
        self.starts = starts
        self.coefficients = coefficients
    }

    public func resize(_ row: [UInt8]) -> [UInt8] {
        precondition(row.count == sourceWidth, "row has \(row.count) pixels, expected \(sourceWidth)")
        return [UInt8](unsafeUninitializedCapacity: targetWidth) { output, initialized in
            row.withUnsafeBufferPointer { resize($0, into: output) }
            initialized = targetWidth
        }
    }

    public func resize(_ row: UnsafeBufferPointer<UInt8>, into output: UnsafeMutableBufferPointer<UInt8>) {
        precondition(row.count == sourceWidth && output.count >= targetWidth, "buffer sizes do not match")
        // Pillow returns a plain copy when the size is unchanged, never resampling.
        if sourceWidth == targetWidth {
            _ = output.initialize(from: row)
            return
        }
        let window = self.window
        let shift = Int32(Self.precisionBits)
        let half: Int32 = 1 << (Self.precisionBits - 1)
        starts.withUnsafeBufferPointer { starts in
            coefficients.withUnsafeBufferPointer { coefficients in
                var k = 0
                for xx in 0..<targetWidth {
                    let start = starts[xx]
                    // Wrapping arithmetic: the sum provably fits (that is what the 2 spare bits
                    // are for) and skipping overflow traps lets the loop vectorise.
                    var sum = half
                    for i in 0..<window {
                        sum &+= Int32(truncatingIfNeeded: row[start &+ i]) &* coefficients[k &+ i]
                    }
                    k &+= window
                    let value = sum >> shift
                    output[xx] = value < 0 ? 0 : value > 255 ? 255 : UInt8(truncatingIfNeeded: value)
                }
            }
        }
    }

    private static func lanczos(_ x: Double) -> Double {
        guard -3.0 <= x && x < 3.0 else { return 0.0 }
        return sinc(x) * sinc(x / 3)
    }

    private static func sinc(_ x: Double) -> Double {
        if x == 0.0 { return 1.0 }
        let t = x * Double.pi  // Double.pi has the same bits as C's M_PI.
        // glibc's sin (which RealModule calls) is correctly rounded here, as in Pillow: any other sine
        // would now and then flip a coefficient's last fixed-point bit.
        return Double.sin(t) / t
    }
}
