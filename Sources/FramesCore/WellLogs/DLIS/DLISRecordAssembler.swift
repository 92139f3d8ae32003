/// The physical layer of RP66 v1: finds the storage unit label, takes visible records apart into logical
/// record segments, strips each segment's trailer (padding, checksum, trailing length) and joins the
/// segments of a logical record, across visible records. It holds at most one segment's bytes beyond
/// the logical record being joined.
///
/// Checksums are stepped over, not verified (as dlisio does): a reader that cannot act on a mismatch
/// gains nothing but a refusal of files that other readers open.
struct DLISRecordAssembler {
    /// A logical record is joined whole before it is decoded: past this length the file is refused.
    static let maximumRecordLength = 16 << 20

    private(set) var label: DLISStorageUnitLabel?
    private var buffer: [UInt8] = []
    /// File offset of `buffer[0]`.
    private var bufferOffset = 0
    /// Bytes of the current visible record after those already taken.
    private var visibleRecordLeft = 0
    private var record: DLISLogicalRecord?
    /// The first segment of the record being joined: its offset, and whether it is an encrypted one passed over.
    private var recordStart = 0
    private var skipping = false

    mutating func feed(_ chunk: ArraySlice<UInt8>) throws(DLISError) -> [DLISLogicalRecord] {
        buffer.append(contentsOf: chunk)
        var at = 0
        if label == nil {
            guard let start = DLISStorageUnitLabel.find(in: buffer[...]) else {
                if bufferOffset + buffer.count > DLISStorageUnitLabel.searchLimit {
                    throw DLISError(offset: 0, reason: "not a DLIS file: no storage unit label (`V1.00RECORD`) "
                                    + "in the first \(DLISStorageUnitLabel.searchLimit) bytes")
                }
                // A label may straddle two chunks: keep what could be its start.
                let keep = min(buffer.count, DLISStorageUnitLabel.length - 1)
                bufferOffset += buffer.count - keep
                buffer.removeFirst(buffer.count - keep)
                return []
            }
            label = DLISStorageUnitLabel(buffer[start..<start + DLISStorageUnitLabel.length], offset: bufferOffset + start)
            at = start + DLISStorageUnitLabel.length
        }
        var records: [DLISLogicalRecord] = []
        while buffer.count - at >= DLISSegmentHeader.size {
            if visibleRecordLeft == 0 {
                try openVisibleRecord(at: at)
                at += 4
                continue
            }
            guard visibleRecordLeft >= DLISSegmentHeader.size else {
                throw DLISError(offset: bufferOffset + at, reason: "\(visibleRecordLeft) bytes left in the visible record: "
                                + "too few for a logical record segment header")
            }
            let header = DLISSegmentHeader(buffer[at..<at + DLISSegmentHeader.size])
            guard header.length >= DLISSegmentHeader.size, header.length <= visibleRecordLeft else {
                throw DLISError(offset: bufferOffset + at, reason: "a logical record segment of \(header.length) bytes "
                                + "does not fit the \(visibleRecordLeft) bytes left in its visible record")
            }
            guard buffer.count - at >= header.length else { break }
            if let record = try segment(header, buffer[at..<at + header.length], offset: bufferOffset + at) {
                records.append(record)
            }
            at += header.length
            visibleRecordLeft -= header.length
        }
        buffer.removeFirst(at)
        bufferOffset += at
        return records
    }

    /// The input has ended: anything half read is a truncated file.
    func finish() throws(DLISError) {
        let end = bufferOffset + buffer.count
        guard label != nil else {
            throw DLISError(offset: 0, reason: end == 0 ? "the file is empty: expected a DLIS storage unit label"
                            : "not a DLIS file: no storage unit label (`V1.00RECORD`)")
        }
        if !buffer.isEmpty || visibleRecordLeft > 0 {
            let what = visibleRecordLeft == 0 ? "a visible record header (4 bytes)"
                : "the rest of a visible record (\(visibleRecordLeft - buffer.count) more bytes)"
            throw DLISError(offset: end, reason: "the file is truncated: expected \(what)")
        }
        if record != nil || skipping {
            throw DLISError(offset: end, reason: "the file is truncated: the logical record that starts at byte "
                            + "\(recordStart) expects a next segment")
        }
    }

    private mutating func openVisibleRecord(at: Int) throws(DLISError) {
        let length = Int(buffer[at]) << 8 | Int(buffer[at + 1])
        guard buffer[at + 2] == 0xFF, buffer[at + 3] == 0x01 else {
            throw DLISError(offset: bufferOffset + at, reason: "expected a visible record header (a length, then FF 01), "
                            + "found \(hex(buffer[at..<at + 4]))")
        }
        guard length >= 4 + DLISSegmentHeader.size else {
            throw DLISError(offset: bufferOffset + at, reason: "a visible record of \(length) bytes cannot hold a segment")
        }
        visibleRecordLeft = length - 4
    }

    /// Adds one segment to the record being joined; returns the record when this segment ends it.
    private mutating func segment(_ header: DLISSegmentHeader, _ bytes: ArraySlice<UInt8>, offset: Int) throws(DLISError) -> DLISLogicalRecord? {
        if header.hasPredecessor {
            guard record != nil || skipping else {
                throw DLISError(offset: offset, reason: "a segment continues a logical record (predecessor bit) but none is open")
            }
        } else {
            if record != nil || skipping {
                throw DLISError(offset: offset, reason: "expected the next segment of the logical record that starts at byte "
                                + "\(recordStart) (predecessor bit), found the start of another")
            }
            recordStart = offset
            if header.isEncrypted {
                let kind = DLISLogicalRecord(isExplicit: header.isExplicit, type: header.type).kind
                guard !header.isNeeded else {
                    throw DLISError(offset: offset, reason: "encrypted \(kind): the reader cannot decrypt it")
                }
                skipping = true
            } else {
                record = DLISLogicalRecord(isExplicit: header.isExplicit, type: header.type)
            }
        }
        if skipping {
            skipping = header.hasSuccessor
            return nil
        }
        guard var joined = record else { return nil }
        guard joined.isExplicit == header.isExplicit, joined.type == header.type, !header.isEncrypted else {
            throw DLISError(offset: offset, reason: "a segment of \(joined.kind) that starts at byte \(recordStart) "
                            + "changes its type or encryption")
        }
        let (start, end) = try bodyBounds(header, bytes, offset: offset)
        joined.pieces.append((body: joined.body.count, file: offset + start))
        joined.body.append(contentsOf: bytes[bytes.startIndex + start..<bytes.startIndex + end])
        guard joined.body.count <= Self.maximumRecordLength else {
            throw DLISError(offset: offset, reason: "the logical record that starts at byte \(recordStart) is longer than "
                            + "\(Self.maximumRecordLength) bytes")
        }
        record = header.hasSuccessor ? joined : nil
        return header.hasSuccessor ? nil : joined
    }

    /// Where the segment's body lies within it, once the encryption packet and the trailer are set aside.
    private func bodyBounds(_ header: DLISSegmentHeader, _ bytes: ArraySlice<UInt8>, offset: Int) throws(DLISError) -> (Int, Int) {
        func byte(_ i: Int) -> Int { Int(bytes[bytes.startIndex + i]) }
        var start = DLISSegmentHeader.size, end = header.length
        if header.hasTrailingLength {
            guard end - start >= 2 else { throw DLISError(offset: offset, reason: "a segment too short for its trailing length") }
            let trailing = byte(end - 2) << 8 | byte(end - 1)
            guard trailing == header.length else {
                throw DLISError(offset: offset + end - 2, reason: "the trailing length \(trailing) differs from the "
                                + "segment's length \(header.length)")
            }
            end -= 2
        }
        if header.hasChecksum {
            guard end - start >= 2 else { throw DLISError(offset: offset, reason: "a segment too short for its checksum") }
            end -= 2
        }
        if header.hasEncryptionPacket {
            guard end - start >= 2, case let size = byte(start) << 8 | byte(start + 1), size >= 4, size <= end - start else {
                throw DLISError(offset: offset + start, reason: "an encryption packet longer than its segment")
            }
            start += size
        }
        if header.hasPadding {
            let padding = end > start ? byte(end - 1) : 0
            // Some writers count the segment's header in a padding that fills the whole segment (dlisio
            // reads those as empty): up to the segment's start is tolerated, not beyond.
            guard padding >= 1, padding <= end else {
                throw DLISError(offset: offset + end - 1, reason: "a pad count of \(padding) does not fit the segment's "
                                + "\(end) bytes before its trailer")
            }
            end = max(start, end - padding)
        }
        return (start, end)
    }

    private func hex(_ bytes: ArraySlice<UInt8>) -> String {
        bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16, uppercase: true) }.joined(separator: " ")
    }
}
