/// OBNAME: what identifies an object within a logical file. Two objects may share an identifier and
/// differ by origin or copy number, so all three make the name.
public struct DLISObjectName: Hashable, Sendable, CustomStringConvertible {
    public var origin: Int
    public var copy: Int
    public var identifier: String

    public init(origin: Int, copy: Int, identifier: String) {
        self.origin = origin
        self.copy = copy
        self.identifier = identifier
    }

    public var description: String { "\(identifier) (origin \(origin), copy \(copy))" }
}
