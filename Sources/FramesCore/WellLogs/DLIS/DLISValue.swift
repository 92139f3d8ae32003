/// One value of an EFLR attribute, decoded from its representation code.
public enum DLISValue: Equatable, Sendable {
    /// SSHORT … ULONG, UVARI, ORIGIN and STATUS.
    case integer(Int)
    /// FSHORT … FDOUBL; of a validated value (FSING1, FDOUB2 …) the value, without its bounds.
    case real(Double)
    case complex(real: Double, imaginary: Double)
    /// IDENT, ASCII and UNITS.
    case text(String)
    case name(DLISObjectName)
    /// OBJREF, and ATTREF without the attribute's label.
    case reference(type: String, name: DLISObjectName)
    /// DTIME, as `YYYY-MM-DD hh:mm:ss.mmm` in the file's time zone.
    case time(String)

    public var number: Double? {
        switch self {
        case .integer(let value): Double(value)
        case .real(let value): value
        default: nil
        }
    }

    public var text: String? {
        if case .text(let value) = self { return value }
        return nil
    }

    public var name: DLISObjectName? {
        switch self {
        case .name(let value): value
        case .reference(_, let value): value
        default: nil
        }
    }
}
