import RealModule

/// A synthetic borehole image log, so the run command, the tests and the benchmarks work without any
/// external file. An unrolled borehole wall shows dipping beds as sinusoids; here beds of varying
/// brightness and thickness dip at a slowly changing angle, with a little noise and some fractures.
public struct SampleImageLog {
    public var rows: Int
    public var width: Int
    public var firstDepth: Double
    public var depthStep: Double

    public init(rows: Int, width: Int = 200, firstDepth: Double = 9000.1, depthStep: Double = 0.1) {
        self.rows = rows
        self.width = width
        self.firstDepth = firstDepth
        self.depthStep = depthStep
    }

    public var header: String {
        "depth," + (1...width).map { "col\($0)" }.joined(separator: ",") + "\n"
    }

    /// Calls `emit` with successive chunks of CSV text (header first), a bounded amount at a time.
    public func write(_ emit: (String) throws -> Void) rethrows {
        try emit(header)
        var random = SplitMix64(seed: 20261126)
        var chunk = ""
        chunk.reserveCapacity(1 << 16)
        for index in 0..<rows {
            // Depths are computed, not accumulated, so they print as short decimals (9000.1, 9000.2…).
            let depth = ((firstDepth + Double(index) * depthStep) * 1000).rounded() / 1000
            chunk += "\(depth)"
            for column in 0..<width {
                chunk += ","
                chunk += String(pixel(row: index, column: column, random: &random))
            }
            chunk += "\n"
            if chunk.utf8.count >= 1 << 16 {
                try emit(chunk)
                chunk.removeAll(keepingCapacity: true)
            }
        }
        if !chunk.isEmpty { try emit(chunk) }
    }

    func pixel(row: Int, column: Int, random: inout SplitMix64) -> Int {
        let angle = Double(column) / Double(width) * 2 * Double.pi
        let dip = 6 + 4 * Double.sin(Double(row) / 700)
        let position = Double(row) + dip * Double.sin(angle + Double(row) / 2500)
        let beds = Double.sin(position / 9) * 45 + Double.sin(position / 23 + 1.3) * 30 + Double.sin(position / 3.1) * 8
        let fracture = (row / 400) % 3 == 0 && abs(position.truncatingRemainder(dividingBy: 400) - 200) < 1.5 ? -60.0 : 0
        let noise = Double(random.next() % 21) - 10
        return Int(max(13, min(237, 125 + beds + fracture + noise)))
    }
}

/// A small deterministic generator (Steele, Lea and Flood's SplitMix64), so samples and test data are
/// the same on every platform and run.
public struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
