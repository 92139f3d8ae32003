import ArgumentParser
import CommandLineSupport
import Digests
import FramesCore
import FrameStore
import ProcessSupport

/// `frames-admin keys …`: who may call the API. A token is printed once, when it is made, alone on
/// stdout; it is never an argument (arguments show in `ps`), never logged, never stored.
struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Create, list, revoke, rotate and verify API keys.",
        subcommands: [Create.self, List.self, Revoke.self, Rotate.self, Verify.self])

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create an API key and print its token, once.",
            discussion: """
                The token is the only line on standard output, so that a script can capture it \
                (TOKEN=$(frames-admin keys create NAME)); what else there is to say goes to standard error. \
                Only a hash of its secret is stored: a lost token cannot be shown again, only rotated.
                """)

        @OptionGroup var database: DatabaseOption
        @Option(help: ArgumentHelp("The datasets the key may read, comma-separated. Default: all.", valueName: "a,b"))
        var datasets: DatasetNames?
        @Option(help: ArgumentHelp("Requests per second, over the whole pool. Default: the service's (FRAMES_RATE_DEFAULT).",
                                   valueName: "r"))
        var rate: Double?
        @Option(help: ArgumentHelp("Requests allowed at once. Default: the service's, else twice the rate.", valueName: "b"))
        var burst: Int?
        @Option(help: ArgumentHelp("When the key stops working: YYYY-MM-DD (midnight UTC) or YYYY-MM-DDTHH:MM[:SS]Z. Default: never.",
                                   valueName: "date"))
        var expires: ExpiryDate?
        @Argument(help: ArgumentHelp("The key's name: letters, digits, . _ - @; at most 64.", valueName: "name"))
        var name: KeyName

        func run() throws {
            if let rate, !(rate > 0 && rate.isFinite) { throw usageError("--rate must be a positive number", in: Self.self) }
            if let burst, burst < 1 { throw usageError("--burst must be at least 1", in: Self.self) }
            let connection = try database.migratedConnection(for: Self.self)
            let store = KeyStore(connection: connection)
            let token = APIToken(keyIDBytes: KernelRandom.bytes(APIToken.keyIDByteCount),
                                 secret: KernelRandom.bytes(APIToken.secretByteCount), hashes: SystemHashes())
            let settings = KeyStore.Settings(datasets: datasets?.names, rate: rate, burst: burst, expiresAt: expires?.rfc3339)
            let entry = try reportingFailure { () throws(KeyStore.Failure) in
                try store.create(name: name.text, settings: settings, token: token)
            }
            print(token.text)
            StandardError.write("created API key \(entry.name) (key id \(entry.keyID)); its token is on standard output and will not be shown again")
            warnAboutUnknownDatasets(DatasetCatalog(connection: connection))
        }

        /// A key may name a dataset before it is ingested, but a typo would only show as 403s later.
        private func warnAboutUnknownDatasets(_ catalog: DatasetCatalog) {
            guard let wanted = datasets?.names, let known = try? catalog.list().map(\.info.name) else { return }
            for name in wanted where !known.contains(name) {
                StandardError.write("frames-admin: note: no dataset named \(name) yet")
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the API keys, by name; never their tokens.",
            discussion: "Times are UTC, to the minute. Revoked keys stay listed.")

        @OptionGroup var database: DatabaseOption
        @Flag(help: "Print a JSON array.") var json = false

        func run() throws {
            let store = try database.keyStore(for: Self.self)
            try reportingFailure { () throws(KeyStore.Failure) in
                let entries = try store.list()
                print(json ? KeyListing.json(entries) : KeyListing.table(entries), terminator: "")
            }
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Revoke an API key: its tokens stop working.",
            discussion: """
                Workers notice within 30 seconds. The key stays listed, with the time it was revoked, and its \
                name stays taken. Revoking a revoked key changes nothing and succeeds.
                """)

        @OptionGroup var database: DatabaseOption
        @Argument(help: ArgumentHelp("The key.", valueName: "name")) var name: String

        func run() throws {
            let store = try database.keyStore(for: Self.self)
            try reportingFailure { () throws(KeyStore.Failure) in
                let (entry, revokedNow) = try store.revoke(name: name)
                print(revokedNow ? "revoked API key \(name) (key id \(entry.keyID))"
                                 : "API key \(name) was already revoked at \(entry.revokedAt ?? "?")")
            }
        }
    }

    struct Rotate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Give an API key a new token, and print it, once.",
            discussion: """
                The key keeps its name, id, datasets and limits. The old token keeps working for the grace \
                period, so that clients can move over; after a leak, pass --grace 0. Rotating again within the \
                grace period ends the older token's grace at once. As with create, the token is the only line \
                on standard output.
                """)

        @OptionGroup var database: DatabaseOption
        @Option(help: ArgumentHelp("How long the old token keeps working: 0, or a number with s, m, h or d.",
                                   valueName: "duration"))
        var grace = GraceDuration(seconds: 86400)
        @Argument(help: ArgumentHelp("The key.", valueName: "name")) var name: String

        func run() throws {
            let store = try database.keyStore(for: Self.self)
            let secret = KernelRandom.bytes(APIToken.secretByteCount)
            let (entry, token) = try reportingFailure { () throws(KeyStore.Failure) in
                try store.rotate(name: name, newSecret: secret, graceSeconds: grace.seconds, hashes: SystemHashes())
            }
            print(token.text)
            let old = entry.previousValidUntil.map { "the old one works until \($0)" } ?? "the old one no longer works"
            StandardError.write("rotated API key \(name) (key id \(entry.keyID)): the new token is on standard output; \(old)")
        }
    }

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a token read from standard input, as the service checks it.",
            discussion: """
                Reads one line from standard input (never an argument: arguments show in ps). Prints the key's \
                name and exits 0 when the token works now; otherwise says why on standard error and exits 65. \
                It does not count as a use. The reader role's privileges are enough.
                """)

        @OptionGroup var database: DatabaseOption

        func run() throws {
            let store = try database.keyStore(for: Self.self)
            let line = readLine(strippingNewline: true) ?? ""
            let name = try reportingFailure { () throws(KeyStore.Failure) -> String? in
                let token: APIToken
                do throws(APITokenError) {
                    token = try APIToken(parsing: line, hashes: SystemHashes())
                } catch {
                    return refused(error.description)
                }
                guard let credentials = try store.credentials(keyID: token.keyID) else {
                    return refused(KeyRefusal.unknown.description)
                }
                do throws(KeyRefusal) {
                    try credentials.admit(token, at: Clock.unixSeconds)
                } catch {
                    return refused(error.description)
                }
                return credentials.name
            }
            guard let name else { throw ExitCode(SysExit.dataError.rawValue) }
            print("valid: API key \(name)")
        }

        private func refused(_ reason: String) -> String? {
            StandardError.write("frames-admin: refused: \(reason)")
            return nil
        }
    }
}
