/// FRAME: the channels recorded together, one FDATA record per index step, in this order.
public struct DLISFrame: Equatable, Sendable {
    public var name: DLISObjectName
    public var channels: [DLISObjectName]
    /// BOREHOLE-DEPTH, VERTICAL-DEPTH, TIME …; when present, the first channel is the index.
    public var indexType: String?
    /// INCREASING or DECREASING.
    public var direction: String?
    public var spacing: Double?
    public var spacingUnits: String?

    public var indexChannel: DLISObjectName? { indexType == nil ? nil : channels.first }
    public var isIndexedByDepth: Bool { indexType == "BOREHOLE-DEPTH" || indexType == "VERTICAL-DEPTH" }

    init(_ object: DLISSet.Object) {
        name = object.name
        channels = object.values("CHANNELS").compactMap(\.name)
        indexType = object.text("INDEX-TYPE")
        direction = object.text("DIRECTION")
        spacing = object.first("SPACING")?.number
        spacingUnits = object.attributes["SPACING"].flatMap { $0.units.isEmpty ? nil : $0.units }
    }
}
