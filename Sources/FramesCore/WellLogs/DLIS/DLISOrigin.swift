/// ORIGIN: where the data of a logical file came from. Only the attributes a dataset reports.
public struct DLISOrigin: Equatable, Sendable {
    public var name: DLISObjectName
    public var well: String?
    public var wellID: String?
    public var field: String?
    public var company: String?
    public var producer: String?

    init(_ object: DLISSet.Object) {
        name = object.name
        well = object.text("WELL-NAME")
        wellID = object.text("WELL-ID")
        field = object.text("FIELD-NAME")
        company = object.text("COMPANY")
        producer = object.text("PRODUCER-NAME")
    }
}
