/// Reads one pixel cell: a whole number 0–255, written `224` or `224.0` (exporters that went through
/// floating point add the `.0`). Anything else is refused rather than rounded, so no value is
/// silently changed on the way in.
enum PixelCell {
    enum Failure: Error, Equatable {
        case empty
        case notANumber
        case notWhole
        case outOfRange
    }

    static func parse(_ raw: UnsafeBufferPointer<UInt8>) -> Result<UInt8, Failure> {
        let cell = raw.trimmingBlanks
        var start = 0
        let end = cell.count
        guard start < end else { return .failure(.empty) }
        var negative = false
        if cell[start] == UInt8(ascii: "+") || cell[start] == UInt8(ascii: "-") {
            negative = cell[start] == UInt8(ascii: "-")
            start += 1
        }
        var value = 0, digits = 0, i = start
        while i < end, cell[i] >= 0x30, cell[i] <= 0x39 {
            value = Swift.min(value * 10 + Int(cell[i] - 0x30), 100_000)
            digits += 1
            i += 1
        }
        var fractionNonZero = false
        if i < end, cell[i] == UInt8(ascii: ".") {
            i += 1
            while i < end, cell[i] >= 0x30, cell[i] <= 0x39 {
                if cell[i] != 0x30 { fractionNonZero = true }
                digits += 1
                i += 1
            }
        }
        guard digits > 0, i == end else { return .failure(.notANumber) }
        if negative, value != 0 || fractionNonZero { return .failure(.outOfRange) }
        guard !fractionNonZero else { return .failure(.notWhole) }
        guard value <= 255 else { return .failure(.outOfRange) }
        return .success(UInt8(value))
    }
}
