/// A logical record put back together from its segments, without their headers and trailers.
struct DLISLogicalRecord {
    /// Explicitly formatted (an EFLR: sets of objects) or indirectly formatted (an IFLR: frame data).
    var isExplicit: Bool
    var type: UInt8
    var body: [UInt8] = []
    /// Where each segment's share of `body` starts, in the body and in the file, so that an error deep in
    /// a record still names the byte of the file.
    var pieces: [(body: Int, file: Int)] = []

    func fileOffset(at position: Int) -> Int {
        guard let piece = pieces.last(where: { $0.body <= position }) else { return pieces.first?.file ?? 0 }
        return piece.file + position - piece.body
    }

    var kind: String {
        isExplicit ? "EFLR type \(type)" : "IFLR type \(type)"
    }
}
