/// Builds DLIS bytes by hand, for what dliswriter never writes: checksums, trailing lengths, padding,
/// segments continued across visible records, encrypted records, IBM and VAX floats.
enum DLISBytes {
    static func label() -> [UInt8] {
        let id = "HAND-BUILT".padding(toLength: 60, withPad: " ", startingAt: 0)
        return Array("   1V1.00RECORD 8192\(id)".utf8)
    }

    static func visibleRecord(_ segments: [UInt8]...) -> [UInt8] {
        let body = segments.flatMap { $0 }
        return unorm(body.count + 4) + [0xFF, 0x01] + body
    }

    struct Flags: OptionSet {
        let rawValue: UInt8
        static let explicit = Flags(rawValue: 0x80), predecessor = Flags(rawValue: 0x40), successor = Flags(rawValue: 0x20)
        static let encrypted = Flags(rawValue: 0x10), checksum = Flags(rawValue: 0x04), trailingLength = Flags(rawValue: 0x02)
        static let padding = Flags(rawValue: 0x01)
    }

    /// A logical record segment; `padding` bytes (the last one their count) when the flag is set.
    static func segment(type: UInt8, _ flags: Flags, _ body: [UInt8], padding: Int = 2) -> [UInt8] {
        var trailer: [UInt8] = []
        if flags.contains(.padding) { trailer += [UInt8](repeating: 0, count: padding - 1) + [UInt8(padding)] }
        if flags.contains(.checksum) { trailer += [0xAB, 0xCD] }
        let length = 4 + body.count + trailer.count + (flags.contains(.trailingLength) ? 2 : 0)
        if flags.contains(.trailingLength) { trailer += unorm(length) }
        return unorm(length) + [flags.rawValue, type] + body + trailer
    }

    static func unorm(_ value: Int) -> [UInt8] { [UInt8(value >> 8), UInt8(value & 0xFF)] }
    static func ident(_ text: String) -> [UInt8] { [UInt8(text.utf8.count)] + Array(text.utf8) }
    static func ascii(_ text: String) -> [UInt8] { [UInt8(text.utf8.count)] + Array(text.utf8) }
    static func obname(_ identifier: String, origin: UInt8 = 1, copy: UInt8 = 0) -> [UInt8] { [origin, copy] + ident(identifier) }
    static func fsingl(_ value: Float) -> [UInt8] { withUnsafeBytes(of: value.bitPattern.bigEndian, Array.init) }
    static func fdoubl(_ value: Double) -> [UInt8] { withUnsafeBytes(of: value.bitPattern.bigEndian, Array.init) }

    // EFLR components: the role in the top three bits, then the characteristics present.
    static func set(_ type: String, name: String? = nil) -> [UInt8] {
        name.map { [0xF8] + ident(type) + ident($0) } ?? [0xF0] + ident(type)
    }
    static func object(_ identifier: String) -> [UInt8] { [0x70] + obname(identifier) }
    static let absent: [UInt8] = [0x00]

    /// An attribute component: label (templates only), count, representation code, units, value.
    static func attribute(label: String? = nil, count: Int? = nil, code: UInt8? = nil, units: String? = nil,
                          value: [UInt8]? = nil, invariant: Bool = false) -> [UInt8] {
        var descriptor: UInt8 = invariant ? 0x40 : 0x20
        var bytes: [UInt8] = []
        if let label { descriptor |= 0x10; bytes += ident(label) }
        if let count { descriptor |= 0x08; bytes += [UInt8(count)] }
        if let code { descriptor |= 0x04; bytes += [code] }
        if let units { descriptor |= 0x02; bytes += ident(units) }
        if let value { descriptor |= 0x01; bytes += value }
        return [descriptor] + bytes
    }

    static func fileHeader(_ id: String) -> [UInt8] {
        set("FILE-HEADER") + attribute(label: "SEQUENCE-NUMBER", code: 20) + attribute(label: "ID", code: 20)
            + object("0") + attribute(value: ascii("1")) + attribute(value: ascii(id))
    }
}
