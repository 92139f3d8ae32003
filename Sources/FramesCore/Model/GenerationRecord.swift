/// How many frames a generation added, changed and removed, against the generation before it.
public struct FrameChangeCounts: Sendable, Equatable {
    public var added: Int
    public var changed: Int
    public var removed: Int

    public init(added: Int = 0, changed: Int = 0, removed: Int = 0) {
        self.added = added
        self.changed = changed
        self.removed = removed
    }
}

/// One generation of a dataset with its provenance: what made it, from which file, on which host, what
/// it changed, and the dataset as it left it.
public struct GenerationRecord: Sendable, Equatable {
    /// The dataset as of this generation (the name is the dataset's name today).
    public var dataset: DatasetInfo
    /// RFC 3339, UTC, to the second.
    public var createdAt: String
    /// ingest, merge, delete-range, rollback or rename.
    public var command: String
    public var sourceFile: String?
    /// Lowercase hexadecimal, as `sha256sum` prints it.
    public var sourceSHA256: String?
    /// What the command did in words: the range deleted, the generation restored, the old name.
    public var note: String?
    public var host: String?
    public var counts: FrameChangeCounts
    /// Pruned generations stay listed but can no longer be read.
    public var pruned: Bool

    public init(dataset: DatasetInfo, createdAt: String, command: String, sourceFile: String?, sourceSHA256: String?,
                note: String?, host: String?, counts: FrameChangeCounts, pruned: Bool) {
        self.dataset = dataset
        self.createdAt = createdAt
        self.command = command
        self.sourceFile = sourceFile
        self.sourceSHA256 = sourceSHA256
        self.note = note
        self.host = host
        self.counts = counts
        self.pruned = pruned
    }

    public var generation: Int64 { dataset.generation }
}

/// A depth whose frame differs between two generations.
public struct DepthChange: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case added, changed, removed
    }

    public var depth: Double
    public var kind: Kind

    public init(depth: Double, kind: Kind) {
        self.depth = depth
        self.kind = kind
    }
}
