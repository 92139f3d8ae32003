/// RP66 v1 representation codes (Appendix B): how one value is written.
public enum DLISRepresentationCode: UInt8, Sendable, CaseIterable {
    case fshort = 1, fsingl, fsing1, fsing2, isingl, vsingl, fdoubl, fdoub1, fdoub2, csingl, cdoubl
    case sshort, snorm, slong, ushort, unorm, ulong, uvari, ident, ascii, dtime, origin, obname, objref
    case attref, status, units

    /// Bytes per value, or nil for the codes whose length is written with the value.
    public var size: Int? {
        switch self {
        case .sshort, .ushort, .status: 1
        case .fshort, .snorm, .unorm: 2
        case .fsingl, .isingl, .vsingl, .slong, .ulong: 4
        case .fsing1, .fdoubl, .csingl, .dtime: 8
        case .fsing2: 12
        case .fdoub1, .cdoubl: 16
        case .fdoub2: 24
        case .uvari, .ident, .ascii, .origin, .obname, .objref, .attref, .units: nil
        }
    }

    /// The name RP66 v1 gives the code, for messages.
    public var label: String { String(describing: self).uppercased() }
}
