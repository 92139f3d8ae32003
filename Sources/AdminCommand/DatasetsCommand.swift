import ArgumentParser
import CommandLineSupport
import FrameStore
import Glibc
import ProcessSupport

/// `frames-admin datasets …`: what was ingested, under which name.
struct DatasetsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "datasets",
        abstract: "List, show, delete and rename datasets.",
        subcommands: [List.self, Show.self, Delete.self, Rename.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the datasets, by name.")

        @OptionGroup var database: DatabaseOption
        @Flag(help: "Print a JSON array, with the fields of the API's /datasets and more.") var json = false

        func run() throws {
            let catalog = try database.catalog(for: Self.self)
            try reportingFailure { () throws(DatasetCatalog.Failure) in
                let entries = try catalog.list()
                print(json ? DatasetListing.json(entries) : DatasetListing.table(entries), terminator: "")
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one dataset.")

        @OptionGroup var database: DatabaseOption
        @Flag(help: "Print a JSON object.") var json = false
        @Argument(help: ArgumentHelp("The dataset.", valueName: "name")) var name: String

        func run() throws {
            let catalog = try database.catalog(for: Self.self)
            try reportingFailure { () throws(DatasetCatalog.Failure) in
                let entry = try catalog.entry(named: name)
                print(json ? DatasetListing.json(entry) : DatasetListing.details(entry), terminator: "")
            }
        }
    }

    struct Delete: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete a dataset and its frames.",
            discussion: """
                Asks for confirmation when standard input is a terminal. Elsewhere (scripts, cron) it \
                refuses without --yes, with exit status 64, rather than delete on nobody's word.
                """)

        @OptionGroup var database: DatabaseOption
        @Flag(help: "Do not ask for confirmation.") var yes = false
        @Argument(help: ArgumentHelp("The dataset.", valueName: "name")) var name: String

        func validate() throws {
            guard yes || isatty(0) == 1 else {
                throw ValidationError("standard input is not a terminal, so nobody can confirm: pass --yes to delete \(name)")
            }
        }

        func run() throws {
            let catalog = try database.catalog(for: Self.self)
            try reportingFailure { () throws(DatasetCatalog.Failure) in
                if !yes {
                    let entry = try catalog.entry(named: name)
                    // On stderr, as rm -i does, so that the question shows when stdout goes to a file.
                    StandardError.writeRaw("Delete dataset \(name) (\(entry.info.frameCount) frames)? [y/N] ")
                    guard let answer = readLine(), ["y", "yes"].contains(answer.lowercased()) else {
                        print("kept \(name)")
                        return
                    }
                }
                let removed = try catalog.delete(name)
                print("deleted dataset \(name) (\(removed.info.frameCount) frames)")
            }
        }
    }

    struct Rename: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Rename a dataset, in one transaction, under a new generation.",
            discussion: """
                Clients then find the frames under the new name only; ETags given out before no longer \
                validate. The new name must not be taken.
                """)

        @OptionGroup var database: DatabaseOption
        @Argument(help: ArgumentHelp("The dataset's name now.", valueName: "old")) var old: String
        @Argument(help: ArgumentHelp("Its new name.", valueName: "new")) var new: String

        func run() throws {
            let catalog = try database.catalog(for: Self.self)
            try reportingFailure { () throws(DatasetCatalog.Failure) in
                let renamed = try catalog.rename(old, to: new)
                print("renamed dataset \(old) to \(new) (generation \(renamed.info.generation))")
            }
        }
    }
}
