/// The 80 bytes that open a DLIS storage unit: sequence number, `V1.00`, `RECORD`, the maximum visible
/// record length and the storage set's identifier, all ASCII.
public struct DLISStorageUnitLabel: Equatable, Sendable {
    public static let length = 80
    /// How far into a file the label is looked for: tape headers and the like come before it.
    public static let searchLimit = 64 * 1024

    public var offset: Int
    public var sequenceNumber: Int?
    public var version: String
    public var maximumRecordLength: Int?
    public var setIdentifier: String

    /// Where the label starts in `bytes`, if it is there: found by `V1.` and `RECORD` at their places.
    static func find(in bytes: ArraySlice<UInt8>) -> Int? {
        let marker = Array("RECORD".utf8)
        var at = bytes.startIndex + 9
        while at + length - 9 <= bytes.endIndex {
            if bytes[at] == marker[0], bytes[at..<at + 6].elementsEqual(marker),
               bytes[at - 5] == UInt8(ascii: "V"), bytes[at - 4] == UInt8(ascii: "1"), bytes[at - 3] == UInt8(ascii: ".") {
                return at - 9
            }
            at += 1
        }
        return nil
    }

    init(_ bytes: ArraySlice<UInt8>, offset: Int) {
        func field(_ start: Int, _ count: Int) -> String {
            let from = bytes.startIndex + start
            return String(Substring(String(decoding: bytes[from..<from + count], as: UTF8.self)).trimmingBlanks)
        }
        self.offset = offset
        sequenceNumber = Int(field(0, 4))
        version = field(4, 5)
        maximumRecordLength = Int(field(15, 5))
        setIdentifier = field(20, 60)
    }
}
