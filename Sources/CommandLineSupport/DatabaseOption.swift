import ArgumentParser
import ProcessSupport

/// `--database`, which every binary takes, falling back to `FRAMES_DATABASE_URL` as the units set it.
public struct DatabaseOption: ParsableArguments {
    @Option(help: ArgumentHelp("libpq conninfo or URI. Default: $FRAMES_DATABASE_URL.", valueName: "conninfo"))
    public var database: String?

    public init() {}

    /// The option, else the variable; nil when neither is set to something.
    public func conninfo(environment: [String: String]) -> String? {
        guard let conninfo = database ?? environment["FRAMES_DATABASE_URL"], !conninfo.isEmpty else { return nil }
        return conninfo
    }
}
