/// What the sections before ~A say: the version, the well, the curves and parameters.
public struct LASHeader: Equatable, Sendable {
    public var version = ""
    /// Whether a depth step may run over several lines (`WRAP. YES`).
    public var wrap = false
    public var well: [LASHeaderItem] = []
    /// The first is the depth.
    public var curves: [LASHeaderItem] = []
    public var parameters: [LASHeaderItem] = []
    /// ~O, line by line.
    public var other: [String] = []

    public func wellValue(_ mnemonic: String) -> String? {
        well.first { $0.mnemonic.uppercased() == mnemonic }.flatMap { $0.value.isEmpty ? nil : $0.value }
    }

    public var start: Double? { wellValue("STRT").flatMap(Double.init) }
    public var stop: Double? { wellValue("STOP").flatMap(Double.init) }
    public var step: Double? { wellValue("STEP").flatMap(Double.init) }
    /// The value that marks an absent sample.
    public var null: Double? { wellValue("NULL").flatMap(Double.init) }
    public var wellName: String? { wellValue("WELL") }
    public var field: String? { wellValue("FLD") }
    public var company: String? { wellValue("COMP") }
    public var uniqueWellID: String? { wellValue("UWI") }
    public var depthUnit: String? { curves.first.flatMap { $0.unit.isEmpty ? nil : $0.unit } }

    public var images: [LASImage] { LASImage.find(in: curves) }
}
