import ArgumentParser
import CommandLineSupport
import ProcessSupport

/// `frames-admin`: the operator's tool for what is stored. One subcommand group per kind of thing.
public struct FramesAdmin: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "frames-admin",
        abstract: "Manage the image frame API's datasets, API keys and database roles.",
        discussion: """
            Exit status: 0 done, 64 usage, 65 the key is revoked or the change would leave no frames, 66 no \
            such dataset, generation or key, 70 database error, 73 the name is taken, 75 database unavailable \
            (retry later).
            """,
        version: FramesVersion.string,
        subcommands: [DatasetsCommand.self, FramesCommand.self, KeysCommand.self, RolesCommand.self])

    @OptionGroup var dump: SettingsDump

    public init() {}

    /// Without a subcommand, the help, as argument-parser gives a command that has no `run()`.
    public func run() throws {
        if dump.printIfRequested(DatabaseSettings()) { return }
        throw CleanExit.helpRequest(self)
    }
}
