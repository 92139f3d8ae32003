/// An image in a LAS file: the curves `NAME[k]`, `NAME[k+1]` … side by side in ~C (as image logs are
/// written to LAS one sample a curve), at least two of them.
public struct LASImage: Equatable, Sendable {
    public var name: String
    public var unit: String
    /// Where the image's samples are in `LASRow.values`.
    public var valueRange: Range<Int>

    public var width: Int { valueRange.count }

    public init(name: String, unit: String, valueRange: Range<Int>) {
        self.name = name
        self.unit = unit
        self.valueRange = valueRange
    }

    /// The images among `curves`, the first of which is the depth.
    static func find(in curves: [LASHeaderItem]) -> [LASImage] {
        var images: [LASImage] = []
        var run: (name: String, unit: String, start: Int, lastK: Int)?
        func close(at end: Int) {
            if let open = run, end - open.start >= 2 {
                images.append(LASImage(name: open.name, unit: open.unit, valueRange: open.start..<end))
            }
            run = nil
        }
        for (position, curve) in curves.dropFirst().enumerated() {
            guard let (name, k) = element(curve.mnemonic) else {
                close(at: position)
                continue
            }
            if let open = run, open.name == name, open.lastK + 1 == k {
                run?.lastK = k
            } else {
                close(at: position)
                run = (name, curve.unit, position, k)
            }
        }
        close(at: curves.count - 1)
        return images
    }

    /// `NAME[k]` taken apart.
    private static func element(_ mnemonic: String) -> (String, Int)? {
        guard mnemonic.last == "]", let open = mnemonic.lastIndex(of: "["), open > mnemonic.startIndex,
              let k = Int(mnemonic[mnemonic.index(after: open)..<mnemonic.index(before: mnemonic.endIndex)]), k >= 0
        else { return nil }
        return (String(mnemonic[..<open]), k)
    }
}
