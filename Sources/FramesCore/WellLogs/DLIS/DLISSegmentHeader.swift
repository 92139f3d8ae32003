/// The four bytes that open a logical record segment: its length (header and trailer included), the
/// attribute bits, and the logical record's type.
struct DLISSegmentHeader {
    static let size = 4

    var length: Int
    var attributes: UInt8
    var type: UInt8

    var isExplicit: Bool { attributes & 0x80 != 0 }
    var hasPredecessor: Bool { attributes & 0x40 != 0 }
    var hasSuccessor: Bool { attributes & 0x20 != 0 }
    var isEncrypted: Bool { attributes & 0x10 != 0 }
    var hasEncryptionPacket: Bool { attributes & 0x08 != 0 }
    var hasChecksum: Bool { attributes & 0x04 != 0 }
    var hasTrailingLength: Bool { attributes & 0x02 != 0 }
    var hasPadding: Bool { attributes & 0x01 != 0 }

    init(_ bytes: ArraySlice<UInt8>) {
        let at = bytes.startIndex
        length = Int(bytes[at]) << 8 | Int(bytes[at + 1])
        attributes = bytes[at + 2]
        type = bytes[at + 3]
    }

    /// The records this reader needs and so cannot skip when they are encrypted: FILE-HEADER, ORIGIN,
    /// CHANNEL and FRAME EFLRs, and FDATA. Other encrypted records (producers' private sets) are passed
    /// over, as RP66 v1 lets a reader that lacks the key do.
    var isNeeded: Bool { isExplicit ? [0, 1, 3, 4].contains(type) : type == 0 }
}
