/// An EFLR's set: its type, then a template of attributes, then objects that give each attribute a value
/// or leave the template's default (RP66 v1 §3.2). Sets of types the reader has no use for are not
/// parsed beyond their type.
struct DLISSet {
    struct Attribute {
        var label: String
        var count = 1
        var code = DLISRepresentationCode.ident
        var units = ""
        /// nil: absent.
        var values: [DLISValue]?
        /// An invariant attribute has its value in the template only; objects do not repeat it.
        var isInvariant = false
    }

    struct Object {
        var name: DLISObjectName
        var attributes: [String: Attribute] = [:]

        func values(_ label: String) -> [DLISValue] { attributes[label]?.values ?? [] }
        func first(_ label: String) -> DLISValue? { values(label).first }
        func text(_ label: String) -> String? { first(label)?.text }
    }

    var type: String
    var name: String?
    /// A redundant set repeats one given before: nothing new in it.
    var isRedundant: Bool
    var objects: [Object] = []

    /// Component roles: the top three bits of each component's descriptor.
    private enum Role: UInt8 {
        case absentAttribute = 0, attribute, invariantAttribute, object, redundantSet = 5, replacementSet, set
    }

    /// Only the set's type, to decide whether to read the rest.
    static func type(of record: DLISLogicalRecord) throws(DLISError) -> String {
        var cursor = DLISCursor(record)
        return try header(&cursor).type
    }

    private typealias Header = (type: String, name: String?, isRedundant: Bool)

    init(_ record: DLISLogicalRecord) throws(DLISError) {
        var cursor = DLISCursor(record)
        (type, name, isRedundant) = try Self.header(&cursor)
        var template: [Attribute] = []
        while let next = cursor.peek(), let role = Role(rawValue: next >> 5),
              role == .attribute || role == .invariantAttribute {
            let descriptor = try cursor.byte(for: "a template attribute")
            guard descriptor & 0x10 != 0 else { throw cursor.error("a template attribute of set \(type) has no label") }
            var attribute = try Self.attribute(descriptor, default: Attribute(label: ""), &cursor)
            attribute.isInvariant = role == .invariantAttribute
            template.append(attribute)
        }
        while !cursor.isAtEnd {
            objects.append(try Self.object(template: template, setType: type, &cursor))
        }
    }

    private static func header(_ cursor: inout DLISCursor) throws(DLISError) -> Header {
        let descriptor = try cursor.byte(for: "the set component")
        guard let role = Role(rawValue: descriptor >> 5), role == .set || role == .replacementSet || role == .redundantSet else {
            throw cursor.error("expected a SET component to start the EFLR, found descriptor 0x\(String(descriptor, radix: 16))")
        }
        guard descriptor & 0x10 != 0 else { throw cursor.error("the set has no type") }
        let type = try cursor.ident(for: "the set type")
        let name = descriptor & 0x08 != 0 ? try cursor.ident(for: "the set name") : nil
        return (type, name, role == .redundantSet)
    }

    private static func object(template: [Attribute], setType: String, _ cursor: inout DLISCursor) throws(DLISError) -> Object {
        let descriptor = try cursor.byte(for: "an object")
        guard descriptor >> 5 == Role.object.rawValue else {
            throw cursor.error("expected an OBJECT component in set \(setType), found descriptor 0x\(String(descriptor, radix: 16))")
        }
        guard descriptor & 0x10 != 0 else { throw cursor.error("an object of set \(setType) has no name") }
        var object = Object(name: try cursor.obname(for: "an object name"))
        for attribute in template {
            // Objects may stop early: the rest of the attributes keep the template's defaults.
            guard !attribute.isInvariant, let next = cursor.peek(), next >> 5 != Role.object.rawValue else {
                object.attributes[attribute.label] = attribute
                continue
            }
            let descriptor = try cursor.byte(for: "attribute \(attribute.label)")
            switch Role(rawValue: descriptor >> 5) {
            case .absentAttribute: continue
            case .attribute: object.attributes[attribute.label] = try Self.attribute(descriptor, default: attribute, &cursor)
            default:
                throw cursor.error("expected attribute \(attribute.label) of object \(object.name.identifier), "
                                   + "found descriptor 0x\(String(descriptor, radix: 16))")
            }
        }
        if let next = cursor.peek(), next >> 5 != Role.object.rawValue {
            throw cursor.error("object \(object.name.identifier) of set \(setType) has more attributes than its template")
        }
        return object
    }

    /// The characteristics the descriptor says are present, in their order; the others from `default`.
    private static func attribute(_ descriptor: UInt8, default: Attribute, _ cursor: inout DLISCursor) throws(DLISError) -> Attribute {
        var attribute = `default`
        if descriptor & 0x10 != 0 { attribute.label = try cursor.ident(for: "an attribute label") }
        if descriptor & 0x08 != 0 { attribute.count = try cursor.uvari(for: "the count of attribute \(attribute.label)") }
        if descriptor & 0x04 != 0 {
            let raw = try cursor.byte(for: "the representation code of attribute \(attribute.label)")
            guard let code = DLISRepresentationCode(rawValue: raw) else {
                throw cursor.error("attribute \(attribute.label) has unknown representation code \(raw)")
            }
            attribute.code = code
        }
        if descriptor & 0x02 != 0 { attribute.units = try cursor.ident(for: "the units of attribute \(attribute.label)") }
        if descriptor & 0x01 != 0 {
            // Every value takes at least a byte: a count past the record's end is corrupt, not an allocation.
            guard attribute.count <= cursor.remaining else {
                throw cursor.error("attribute \(attribute.label) claims \(attribute.count) values, more than the record holds")
            }
            var values: [DLISValue] = []
            values.reserveCapacity(attribute.count)
            for _ in 0..<attribute.count { values.append(try cursor.value(attribute.code)) }
            attribute.values = values
        }
        return attribute
    }
}
