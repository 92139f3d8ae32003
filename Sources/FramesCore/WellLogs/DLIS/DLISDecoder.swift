/// A push decoder for DLIS (API RP66 v1) files: bytes go in, in chunks of any size, and out come each
/// logical file's description and its frames' rows, as soon as they are complete. Memory stays bounded by
/// one logical record (a frame's row, or one EFLR) whatever the file's length.
///
/// A logical file is handed over (`.logicalFile`) before its first row, and again if a later EFLR
/// changes it. An error ends the decoding: the decoder must not be fed after it throws.
///
/// Where RP66 v1 leaves a choice, or real files stray from it:
/// - bytes before the storage unit label are passed over (up to 64 KiB); none between records;
/// - checksums are stepped over, unverified; a trailing length must equal the segment's length;
/// - an encrypted record is refused when it would carry what is read here (FILE-HEADER, ORIGIN, CHANNEL,
///   FRAME, FDATA), and passed over otherwise;
/// - only FILE-HEADER, ORIGIN, CHANNEL and FRAME sets are parsed; replacement sets replace objects by
///   name, redundant sets are ignored; NOFORM, end-of-data and private IFLRs are passed over;
/// - FDATA for a frame no FRAME set describes, or naming a channel no CHANNEL set describes, is an error,
///   as are bytes left after a frame's last channel.
public final class DLISDecoder {
    public enum Event: Equatable, Sendable {
        case logicalFile(DLISLogicalFile)
        case row(DLISFrameRow)
    }

    /// How each channel of a frame is read from an FDATA record, worked out once per frame.
    private struct ChannelLayout {
        var name: String
        var code: DLISRepresentationCode
        var count: Int
    }

    /// The sets a logical file's description is made of; the others are skipped unread.
    private static let describingSets: Set<String> = ["FILE-HEADER", "ORIGIN", "CHANNEL", "FRAME"]
    private static let fdata: UInt8 = 0

    private var assembler = DLISRecordAssembler()
    private var file: DLISLogicalFile?
    private var fileIsHandedOver = false
    private var layouts: [DLISObjectName: [ChannelLayout]] = [:]

    public init() {}

    public var storageUnitLabel: DLISStorageUnitLabel? { assembler.label }

    public func feed(_ chunk: [UInt8]) throws(DLISError) -> [Event] {
        try feed(chunk[...])
    }

    /// Not generic: a generic entry point would run unspecialized from another module, several times slower.
    public func feed(_ chunk: ArraySlice<UInt8>) throws(DLISError) -> [Event] {
        var events: [Event] = []
        for record in try assembler.feed(chunk) {
            try handle(record, into: &events)
        }
        return events
    }

    /// Ends the input: a truncated file throws; a logical file without rows is handed over now.
    public func finish() throws(DLISError) -> [Event] {
        try assembler.finish()
        var events: [Event] = []
        handOver(into: &events)
        return events
    }

    private func handOver(into events: inout [Event]) {
        if let file, !fileIsHandedOver {
            events.append(.logicalFile(file))
            fileIsHandedOver = true
        }
    }

    private func handle(_ record: DLISLogicalRecord, into events: inout [Event]) throws(DLISError) {
        // A record all padding says nothing.
        if record.body.isEmpty { return }
        if record.isExplicit {
            try describe(record, into: &events)
        } else if record.type == Self.fdata {
            guard let file else {
                throw DLISError(offset: record.fileOffset(at: 0), reason: "frame data before the first FILE-HEADER")
            }
            handOver(into: &events)
            events.append(.row(try row(record, of: file)))
        }
    }

    private func describe(_ record: DLISLogicalRecord, into events: inout [Event]) throws(DLISError) {
        let type = try DLISSet.type(of: record)
        guard Self.describingSets.contains(type) else { return }
        let set = try DLISSet(record)
        if set.isRedundant { return }
        if type == "FILE-HEADER" {
            handOver(into: &events)
            file = DLISLogicalFile(header: set.objects.first)
        } else {
            guard var described = file else {
                throw DLISError(offset: record.fileOffset(at: 0), reason: "a \(type) set before the first FILE-HEADER")
            }
            switch type {
            case "ORIGIN": Self.merge(set.objects.map(DLISOrigin.init), into: &described.origins, by: \.name)
            case "CHANNEL":
                var channels: [DLISChannel] = []
                for object in set.objects { channels.append(try DLISChannel(object)) }
                Self.merge(channels, into: &described.channels, by: \.name)
            default: Self.merge(set.objects.map(DLISFrame.init), into: &described.frames, by: \.name)
            }
            file = described
        }
        fileIsHandedOver = false
        layouts = [:]
    }

    /// A replacement set's objects take the place of those of the same name; new names are added.
    private static func merge<T>(_ objects: [T], into list: inout [T], by name: KeyPath<T, DLISObjectName>) {
        for object in objects {
            if let at = list.firstIndex(where: { $0[keyPath: name] == object[keyPath: name] }) {
                list[at] = object
            } else {
                list.append(object)
            }
        }
    }

    private func row(_ record: DLISLogicalRecord, of file: DLISLogicalFile) throws(DLISError) -> DLISFrameRow {
        var cursor = DLISCursor(record)
        let name = try cursor.obname(for: "the frame's name")
        let number = try cursor.uvari(for: "the frame number")
        let layout = try layout(of: name, in: file, recordOffset: record.fileOffset(at: 0))
        var samples: [DLISSamples] = []
        samples.reserveCapacity(layout.count)
        for channel in layout {
            samples.append(try cursor.samples(channel.code, count: channel.count, channel: channel.name))
        }
        guard cursor.isAtEnd else {
            throw cursor.error("\(cursor.remaining) bytes after the last channel of frame \(name.identifier)")
        }
        let hasIndex = file.frames.first { $0.name == name }?.indexType != nil
        return DLISFrameRow(frame: name, number: number, index: hasIndex ? samples.first?.first : nil, samples: samples)
    }

    /// Errors here are the frame's or its channels', not the bytes': they point at the record's start.
    private func layout(of name: DLISObjectName, in file: DLISLogicalFile, recordOffset: Int) throws(DLISError) -> [ChannelLayout] {
        func error(_ reason: String) -> DLISError { DLISError(offset: recordOffset, reason: reason) }
        if let layout = layouts[name] { return layout }
        guard let frame = file.frames.first(where: { $0.name == name }) else {
            throw error("frame data for \(name), which no FRAME set describes")
        }
        var layout: [ChannelLayout] = []
        for channelName in frame.channels {
            guard let channel = file.channel(channelName) else {
                throw error("frame \(name.identifier) lists channel \(channelName), which no CHANNEL set describes")
            }
            guard let code = channel.representationCode else {
                throw error("channel \(channelName.identifier) has no known REPRESENTATION-CODE")
            }
            guard let count = channel.elementCount else {
                throw error("channel \(channelName.identifier) has an impossible DIMENSION \(channel.dimension)")
            }
            layout.append(ChannelLayout(name: channelName.identifier, code: code, count: count))
        }
        layouts[name] = layout
        return layout
    }
}
