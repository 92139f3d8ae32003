import ArgumentParser
import ProcessSupport

/// `frames-admin`: the operator's tool for what is stored. One subcommand group per kind of thing.
public struct FramesAdmin: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "frames-admin",
        abstract: "Manage the image frame API's datasets, API keys and database roles.",
        discussion: """
            Exit status: 0 done, 64 usage, 65 the key is revoked, 66 no such dataset or key, 70 database error, \
            73 the name is taken, 75 database unavailable (retry later).
            """,
        version: FramesVersion.string,
        subcommands: [DatasetsCommand.self, KeysCommand.self, RolesCommand.self])

    public init() {}
}
