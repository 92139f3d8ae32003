import ArgumentParser
import CommandLineSupport
import FrameStore

/// `frames-admin frames …`: batch changes to a dataset's frames, each one new generation.
struct FramesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "frames",
        abstract: "Change a dataset's frames in batches.",
        subcommands: [Delete.self])

    struct Delete: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove the frames of a depth interval, as a new generation.",
            discussion: """
                Both ends are included. The frames stay in the history: datasets rollback restores them. \
                An interval without frames changes nothing; one holding every frame is refused (exit 65): \
                delete the dataset instead.
                """)

        @OptionGroup var database: DatabaseOption
        @Option(help: ArgumentHelp("The interval's shallow end.", valueName: "depth")) var depthMin: Double
        @Option(help: ArgumentHelp("The interval's deep end.", valueName: "depth")) var depthMax: Double
        @Argument(help: ArgumentHelp("The dataset.", valueName: "name")) var name: String

        func run() throws {
            guard depthMin.isFinite, depthMax.isFinite, depthMin <= depthMax else {
                throw usageError("--depth-min and --depth-max take finite depths, the first not above the second",
                                 in: Self.self)
            }
            let catalog = try database.catalog(for: Self.self)
            try reportingFailure { () throws(DatasetCatalog.Failure) in
                guard let made = try catalog.deleteFrames(of: name, depthsFrom: depthMin, to: depthMax) else {
                    print("no frames of \(name) between \(depthMin) and \(depthMax): nothing changed")
                    return
                }
                print("removed \(made.counts.removed) frames of \(name) as generation \(made.generation)")
            }
        }
    }
}
