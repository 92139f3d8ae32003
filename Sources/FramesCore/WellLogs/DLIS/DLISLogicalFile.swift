/// What a logical file describes: where it came from, its channels and its frames. Frame rows are
/// streamed apart (DLISDecoder), so this stays small however long the log.
public struct DLISLogicalFile: Equatable, Sendable {
    /// FILE-HEADER's ID, the producer's name for the file.
    public var id: String?
    public var sequenceNumber: String?
    public var origins: [DLISOrigin] = []
    public var channels: [DLISChannel] = []
    public var frames: [DLISFrame] = []

    /// The defining origin: the first, by RP66 v1 §5.2.
    public var origin: DLISOrigin? { origins.first }

    public func channel(_ name: DLISObjectName) -> DLISChannel? { channels.first { $0.name == name } }

    /// The images: channels of one dimension and more than one element, in frames indexed by depth.
    public var imageChannels: [(frame: DLISFrame, channel: DLISChannel)] {
        frames.filter(\.isIndexedByDepth).flatMap { frame in
            frame.channels.compactMap { name in channel(name).flatMap { $0.isImage ? (frame, $0) : nil } }
        }
    }

    init(header: DLISSet.Object?) {
        // Both are fixed-width fields (65 and 10 characters), padded with spaces.
        id = header?.text("ID").map { String(Substring($0).trimmingBlanks) }
        sequenceNumber = header?.text("SEQUENCE-NUMBER").map { String(Substring($0).trimmingBlanks) }
    }
}
