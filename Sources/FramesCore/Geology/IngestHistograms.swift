/// What an ingest keeps so that range statistics and static normalization never read every row:
/// the histogram of every RESIZED pixel of the dataset (static normalization's window), and one
/// histogram of ORIGINAL pixels per block of up to `blockSize` consecutive frames (`/statistics`
/// merges the blocks a range covers and reads only the rows at its two ends).
///
/// Blocks tile the frames in depth order only when they arrive in increasing depth, as logs are
/// written. A file in any other order keeps no blocks (`blocks` is empty): its statistics are then
/// computed from the rows themselves, which is slower but still exact. Closed blocks are held in
/// `PixelHistogram`'s encoded form, a third of the counts' size, until the ingest writes them.
public struct IngestHistograms: Sendable {
    public struct Block: Sendable, Equatable {
        public var firstDepth: Double
        public var lastDepth: Double
        public var frameCount: Int
        /// `PixelHistogram.encoded()` of the block's original pixels.
        public var original: [UInt8]
    }

    public static let defaultBlockSize = 64

    public let blockSize: Int
    public private(set) var resized = PixelHistogram()
    public private(set) var blocks: [Block] = []
    private var open: (first: Double, last: Double, count: Int, original: PixelHistogram)?
    private var increasing = true

    public init(blockSize: Int = defaultBlockSize) {
        precondition(blockSize >= 1, "a block holds at least one frame")
        self.blockSize = blockSize
    }

    /// Counts one frame: its original row's pixels and its resized row's.
    public mutating func add(depth: Double, original: [UInt8], resized pixels: [UInt8]) {
        resized.add(pixels)
        guard increasing else { return }
        if let last = open?.last ?? blocks.last?.lastDepth, depth <= last {
            increasing = false
            blocks = []
            open = nil
            return
        }
        var block = open ?? (depth, depth, 0, PixelHistogram())
        block.last = depth
        block.count += 1
        block.original.add(original)
        open = block
        if block.count == blockSize { close() }
    }

    /// Ends the last block, however short; call once every frame is added.
    public mutating func finish() {
        if increasing { close() }
    }

    private mutating func close() {
        guard let block = open else { return }
        blocks.append(Block(firstDepth: block.first, lastDepth: block.last, frameCount: block.count,
                            original: block.original.encoded()))
        open = nil
    }
}
