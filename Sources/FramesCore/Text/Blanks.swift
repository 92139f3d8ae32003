/// Spaces and tabs around CSV cells and header values are not part of the value.
extension Substring {
    var trimmingBlanks: Substring {
        guard let first = firstIndex(where: { !$0.isBlank }), let last = lastIndex(where: { !$0.isBlank })
        else { return self[endIndex...] }
        return self[first...last]
    }
}

extension UnsafeBufferPointer<UInt8> {
    /// The same on raw bytes, for the ingest's hot path: no String is made for a cell that parses.
    var trimmingBlanks: UnsafeBufferPointer<UInt8> {
        var start = 0, end = count
        while start < end, self[start] == 0x20 || self[start] == 0x09 { start += 1 }
        while end > start, self[end - 1] == 0x20 || self[end - 1] == 0x09 { end -= 1 }
        return UnsafeBufferPointer(rebasing: self[start..<end])
    }
}

private extension Character {
    var isBlank: Bool { self == " " || self == "\t" }
}
