/// One line of a header section: `MNEM.UNIT  VALUE : DESCRIPTION`. The unit runs from the first period to
/// the first blank; the value from there to the last colon (a value may hold a time, `12:30`).
public struct LASHeaderItem: Equatable, Sendable {
    public var mnemonic: String
    public var unit: String
    public var value: String
    public var description: String

    init(line text: Substring, number: Int) throws(LASError) {
        guard let period = text.firstIndex(of: ".") else {
            throw LASError(line: number, reason: "expected a header line `MNEM.UNIT VALUE : DESCRIPTION`, found no period")
        }
        mnemonic = String(text[..<period].trimmingBlanks)
        guard !mnemonic.isEmpty else { throw LASError(line: number, reason: "a header line without a mnemonic") }
        let afterPeriod = text[text.index(after: period)...]
        let unitEnd = afterPeriod.firstIndex { $0 == " " || $0 == "\t" } ?? afterPeriod.endIndex
        let rest = afterPeriod[unitEnd...]
        if let colon = rest.lastIndex(of: ":") {
            unit = String(afterPeriod[..<min(unitEnd, colon)])
            value = String(rest[..<colon].trimmingBlanks)
            description = String(rest[rest.index(after: colon)...].trimmingBlanks)
        } else if let colon = afterPeriod[..<unitEnd].firstIndex(of: ":") {
            // `NULL.:` and the like: nothing between the unit and the colon.
            unit = String(afterPeriod[..<colon])
            value = ""
            description = String(afterPeriod[afterPeriod.index(after: colon)...].trimmingBlanks)
        } else {
            unit = String(afterPeriod[..<unitEnd])
            value = String(rest.trimmingBlanks)
            description = ""
        }
    }
}
