import ArgumentParser
import CommandLineSupport
import FramesCore
import FrameStore

/// `frames-admin datasets history|diff|rollback|prune`: a dataset's generations.
extension DatasetsCommand {
    struct History: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List a dataset's generations, newest first, with their provenance.",
            discussion: """
                Each ingest, merge, range deletion, rollback and rename made one: when, by which command, \
                from which file (name and SHA-256), on which host, and how many frames it added, changed \
                and removed. Pruned generations are listed but can no longer be read.
                """)

        @OptionGroup var database: DatabaseOption
        @Flag(help: "Print a JSON array, as the API's /datasets/NAME/generations.") var json = false
        @Argument(help: ArgumentHelp("The dataset.", valueName: "name")) var name: String

        func run() throws {
            let catalog = try database.catalog(for: Self.self)
            try reportingFailure { () throws(DatasetCatalog.Failure) in
                let records = try catalog.history(of: name)
                print(json ? GenerationListing.json(records) : GenerationListing.table(records), terminator: "")
            }
        }
    }

    struct Diff: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the depths added (+), changed (~) and removed (-) from generation G1 to G2.")

        @OptionGroup var database: DatabaseOption
        @Flag(help: "Print NDJSON, one object per depth, as the API's /changes.") var json = false
        @Argument(help: ArgumentHelp("The dataset.", valueName: "name")) var name: String
        @Argument(help: ArgumentHelp("The generation to compare from.", valueName: "g1")) var from: Int64
        @Argument(help: ArgumentHelp("The generation to compare to.", valueName: "g2")) var to: Int64

        func run() throws {
            let catalog = try database.catalog(for: Self.self)
            try reportingFailure { () throws(DatasetCatalog.Failure) in
                let changes = try catalog.changes(of: name, from: from, to: to)
                print(json ? GenerationListing.ndjson(changes) : GenerationListing.lines(changes), terminator: "")
            }
        }
    }

    struct Rollback: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make a new generation whose frames are those of generation G.",
            discussion: """
                Nothing is rewritten in place: the generations after G stay readable, and the rollback \
                can itself be rolled back.
                """)

        @OptionGroup var database: DatabaseOption
        @Argument(help: ArgumentHelp("The dataset.", valueName: "name")) var name: String
        @Argument(help: ArgumentHelp("The generation to restore.", valueName: "g")) var generation: Int64

        func run() throws {
            let catalog = try database.catalog(for: Self.self)
            try reportingFailure { () throws(DatasetCatalog.Failure) in
                let made = try catalog.rollback(name, to: generation)
                print("rolled \(name) back to generation \(generation) as generation \(made.generation): "
                      + "\(made.counts.added) added, \(made.counts.changed) changed, \(made.counts.removed) removed")
            }
        }
    }

    struct Prune: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Keep the K newest generations readable and free the rows only older ones use.",
            discussion: """
                Pruned generations stay in the history, marked pruned. Frames the kept generations \
                share with older ones are kept. Ingests do this themselves when FRAMES_KEEP_GENERATIONS \
                is set.
                """)

        @OptionGroup var database: DatabaseOption
        @Option(help: ArgumentHelp("How many generations to keep, the current one included.", valueName: "k"))
        var keep: Int
        @Argument(help: ArgumentHelp("The dataset.", valueName: "name")) var name: String

        func run() throws {
            guard keep > 0 else { throw usageError("--keep takes a positive whole number, not \(keep)", in: Self.self) }
            let catalog = try database.catalog(for: Self.self)
            try reportingFailure { () throws(DatasetCatalog.Failure) in
                let pruned = try catalog.prune(name, keep: keep)
                print("pruned \(pruned.generations) generations of \(name), freeing \(pruned.rows) frame rows")
            }
        }
    }
}
