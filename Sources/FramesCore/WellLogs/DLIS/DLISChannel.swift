/// CHANNEL: one measured quantity. Its values in a frame are `elementCount` values of
/// `representationCode`, laid out as `dimension` says (the fastest-varying last).
public struct DLISChannel: Equatable, Sendable {
    public var name: DLISObjectName
    /// LONG-NAME when it is written as text; a reference to a LONG-NAME object is not followed.
    public var longName: String?
    public var units: String?
    /// nil when the file leaves it out: such a channel's values cannot be read.
    public var representationCode: DLISRepresentationCode?
    /// RP66 v1 gives a channel one value per frame when DIMENSION is absent.
    public var dimension: [Int]

    /// Values per frame, or nil for a DIMENSION no frame could hold (negative, or overflowing).
    public var elementCount: Int? {
        dimension.reduce(Optional(1)) { product, size in
            guard let product, size >= 0 else { return nil }
            let (result, overflow) = product.multipliedReportingOverflow(by: size)
            return overflow ? nil : result
        }
    }

    /// Of an image: one row of several samples per frame.
    public var isImage: Bool { dimension.count == 1 && dimension[0] > 1 }

    init(_ object: DLISSet.Object) throws(DLISError) {
        name = object.name
        longName = object.text("LONG-NAME")
        units = object.text("UNITS").flatMap { $0.isEmpty ? nil : $0 }
        representationCode = object.first("REPRESENTATION-CODE")?.number.flatMap { code in
            UInt8(exactly: code).flatMap(DLISRepresentationCode.init(rawValue:))
        }
        let dimension = object.values("DIMENSION").compactMap { $0.number.flatMap(Int.init(exactly:)) }
        self.dimension = dimension.isEmpty ? [1] : dimension
    }
}
