/// The identity provider's keys (RFC 7517 §5), by `kid`, each made ready to verify. Keys that cannot be
/// used are left out with the reason, so that one encryption key or exotic curve in the provider's set
/// does not stop the others from working; a file that is not a key set at all is an error, and the
/// verifier then keeps the set it had.
public struct JSONWebKeySet {
    public struct Entry {
        public var key: JSONWebKey
        public var verifier: any SignatureKey
    }

    public private(set) var entries: [String: Entry] = [:]
    /// Why each left-out key was left out, for the log.
    public private(set) var ignored: [JSONWebKeyError] = []

    public init() {}

    public init(parsing bytes: [UInt8], makeKey: SignatureKeyMaker) throws(KeySetLoadError) {
        let document: JSONValue
        do {
            document = try JSONParser.parse(bytes)
        } catch {
            throw KeySetLoadError("the key set is not JSON: \(error)")
        }
        guard let members = document["keys"]?.array else { throw KeySetLoadError("the key set has no keys array") }
        var duplicates: Set<String> = []
        for member in members {
            do throws(JSONWebKeyError) {
                let key = try JSONWebKey(json: member)
                guard entries[key.keyID] == nil, !duplicates.contains(key.keyID) else {
                    // Two keys under one kid: which one a token means is ambiguous, so neither is used.
                    duplicates.insert(key.keyID)
                    entries[key.keyID] = nil
                    throw JSONWebKeyError("\(key.keyID) is given more than once")
                }
                entries[key.keyID] = Entry(key: key, verifier: try makeKey(key))
            } catch {
                ignored.append(error)
            }
        }
    }

    public subscript(keyID: String) -> Entry? { entries[keyID] }

    public var keyIDs: [String] { entries.keys.sorted() }

    /// The keys without their libcrypto side, to tell whether a re-read changed anything.
    public var keys: [String: JSONWebKey] { entries.mapValues(\.key) }
}
