/// The floating-point formats of RP66 v1 that are not IEEE 754, as exact Doubles.
enum DLISFloatFormats {
    /// FSHORT: a 12-bit two's complement fraction (of 2^11) and a 4-bit unsigned binary exponent.
    static func fshort(_ bits: UInt16) -> Double {
        let fraction = Int16(bitPattern: bits) >> 4
        return Double(fraction) / 2048 * Double(1 << Int(bits & 0xF))
    }

    /// ISINGL, IBM System/360 single precision: sign, 7-bit excess-64 exponent of 16, 24-bit fraction.
    static func ibmSingle(_ bits: UInt32) -> Double {
        let fraction = Double(bits & 0xFF_FFFF) / 16_777_216
        let exponent = Int((bits >> 24) & 0x7F) - 64
        let magnitude = fraction * pow16(exponent)
        return bits >> 31 == 1 ? -magnitude : magnitude
    }

    /// VSINGL, VAX F-floating: stored as two little-endian 16-bit words, the high word first. Sign,
    /// 8-bit excess-128 exponent, and a fraction 0.1fff… with its leading bit hidden. An exponent of 0
    /// is zero, or the VAX's reserved operand (no value: NaN) when the sign is set.
    static func vaxSingle(_ b0: UInt8, _ b1: UInt8, _ b2: UInt8, _ b3: UInt8) -> Double {
        let bits = UInt32(b1) << 24 | UInt32(b0) << 16 | UInt32(b3) << 8 | UInt32(b2)
        let exponent = Int((bits >> 23) & 0xFF)
        let negative = bits >> 31 == 1
        guard exponent != 0 else { return negative ? .nan : 0 }
        let fraction = 0.5 + Double(bits & 0x7F_FFFF) / 16_777_216
        let magnitude = fraction * twoToThe(exponent - 128)
        return negative ? -magnitude : magnitude
    }

    private static func pow16(_ exponent: Int) -> Double { twoToThe(4 * exponent) }

    private static func twoToThe(_ exponent: Int) -> Double {
        Double(sign: .plus, exponent: exponent, significand: 1)
    }
}
