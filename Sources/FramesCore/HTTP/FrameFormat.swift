/// The representations `/frames` can answer with.
public enum FrameFormat: String, Sendable, CaseIterable {
    case json
    case png
    case ndjson

    public var contentType: String {
        switch self {
        case .json: "application/json"
        case .png: "image/png"
        case .ndjson: "application/x-ndjson"
        }
    }

    /// The format an `Accept` header asks for, used only when the query has no `format`.
    ///
    /// Each format takes the quality of the most specific media range that covers it; the best
    /// quality wins, then the more specific match (so a browser's `image/png,*/*;q=0.8` or even
    /// `image/png,*/*` gets PNG), then JSON. Nothing acceptable still gets JSON rather than 406:
    /// a client that sends a useless `Accept` is better served by the default than by an error.
    public static func negotiated(accept: String?) -> FrameFormat {
        guard let accept, !accept.isEmpty else { return .json }
        let ranges = accept.split(separator: ",").compactMap(MediaRange.init)
        var best: (format: FrameFormat, quality: Double, specificity: Int)?
        for format in allCases {
            guard let match = MediaRange.bestMatch(for: format.contentType, in: ranges), match.quality > 0
            else { continue }
            if let current = best,
               (current.quality, current.specificity) >= (match.quality, match.specificity) {
                continue
            }
            best = (format, match.quality, match.specificity)
        }
        return best?.format ?? .json
    }
}

/// One element of an `Accept` header: `type/subtype;q=0.5`.
private struct MediaRange {
    var type: Substring
    var subtype: Substring
    var quality: Double

    init?(_ element: Substring) {
        let parts = element.split(separator: ";")
        guard let mediaType = parts.first else { return nil }
        let names = mediaType.split(separator: "/", omittingEmptySubsequences: false)
        guard names.count == 2 else { return nil }
        type = names[0].trimmingBlanks
        subtype = names[1].trimmingBlanks
        quality = 1
        for parameter in parts.dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].trimmingBlanks.lowercased() == "q" else { continue }
            guard let q = Double(pair[1].trimmingBlanks), (0...1).contains(q) else { return nil }
            quality = q
        }
    }

    /// 2 for `type/subtype`, 1 for `type/*`, 0 for `*/*`; nil when the range does not cover the type.
    func specificity(for contentType: String) -> Int? {
        let names = contentType.split(separator: "/")
        if type == "*" && subtype == "*" { return 0 }
        guard type.lowercased() == names[0] else { return nil }
        if subtype == "*" { return 1 }
        return subtype.lowercased() == names[1] ? 2 : nil
    }

    static func bestMatch(for contentType: String, in ranges: [MediaRange]) -> (quality: Double, specificity: Int)? {
        var best: (quality: Double, specificity: Int)?
        for range in ranges {
            guard let specificity = range.specificity(for: contentType) else { continue }
            // The most specific range decides, even when a vaguer one has a higher quality.
            if let current = best, current.specificity > specificity { continue }
            if let current = best, current.specificity == specificity, current.quality >= range.quality { continue }
            best = (range.quality, specificity)
        }
        return best
    }
}
