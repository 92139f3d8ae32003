/// What an ingest keeps so that range statistics and static normalization never read every row:
/// the histogram of every RESIZED pixel of the dataset (static normalization's window), and one
/// histogram of ORIGINAL pixels per block of up to `blockSize` consecutive frames (`/statistics`
/// merges the blocks a range covers and reads only the rows at its two ends).
///
/// Blocks tile the frames in depth order only when they arrive in increasing depth, as logs are
/// written. A file in any other order keeps no blocks (`blocks` is empty): its statistics are then
/// computed from the rows themselves, which is slower but still exact.
public struct IngestHistograms: Sendable {
    public struct Block: Sendable, Equatable {
        public var firstDepth: Double
        public var lastDepth: Double
        public var frameCount: Int
        public var original: PixelHistogram
    }

    public static let defaultBlockSize = 64

    public let blockSize: Int
    public private(set) var resized = PixelHistogram()
    private var closed: [Block] = []
    private var open: Block?
    private var increasing = true

    public init(blockSize: Int = defaultBlockSize) {
        precondition(blockSize >= 1, "a block holds at least one frame")
        self.blockSize = blockSize
    }

    /// Counts one frame; `original` is the histogram of its original row.
    public mutating func add(depth: Double, original: PixelHistogram, resized pixels: [UInt8]) {
        resized.add(pixels)
        guard increasing else { return }
        if let last = open?.lastDepth ?? closed.last?.lastDepth, depth <= last {
            increasing = false
            closed = []
            open = nil
            return
        }
        if var block = open {
            block.lastDepth = depth
            block.frameCount += 1
            block.original.merge(original)
            open = block.frameCount == blockSize ? nil : block
            if block.frameCount == blockSize { closed.append(block) }
        } else {
            let block = Block(firstDepth: depth, lastDepth: depth, frameCount: 1, original: original)
            if blockSize == 1 { closed.append(block) } else { open = block }
        }
    }

    /// The blocks in depth order, the last one possibly short; empty when frames came out of order.
    public var blocks: [Block] {
        guard increasing else { return [] }
        return closed + (open.map { [$0] } ?? [])
    }
}
