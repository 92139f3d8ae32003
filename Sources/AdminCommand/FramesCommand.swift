import ArgumentParser
import CommandLineSupport
import FramesCore
import FrameStore
import Glibc

/// `frames-admin frames …`: batch changes to a dataset's frames, each one new generation.
struct FramesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "frames",
        abstract: "Export a dataset's frames as of any generation; change them in batches.",
        subcommands: [Export.self, Delete.self])

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a dataset's frames as of a generation, as NDJSON.",
            discussion: """
                One line per frame, as the API's /frames NDJSON with the gray colormap: depth, the \
                resized row as base64 of RGB, and the statistics. Default: the current generation, \
                every depth.
                """)

        @OptionGroup var database: DatabaseOption
        @Option(help: ArgumentHelp("The generation to read. Default: the current one.", valueName: "g"))
        var generation: Int64?
        @Option(help: ArgumentHelp("The shallowest depth to print.", valueName: "depth")) var depthMin = 0.0
        @Option(help: ArgumentHelp("The deepest depth to print.", valueName: "depth")) var depthMax = Double.greatestFiniteMagnitude
        @Argument(help: ArgumentHelp("The dataset.", valueName: "name")) var name: String

        func run() throws {
            let range: DepthRange
            do {
                range = try DepthRange(lower: depthMin, upper: depthMax)
            } catch {
                throw usageError("--depth-min and --depth-max take depths ≥ 0, the first not above the second",
                                 in: Self.self)
            }
            let catalog = try database.catalog(for: Self.self)
            let renderer = FrameRenderer(palette: (0..<768).map { UInt8($0 / 3) })
            var out: [UInt8] = []
            try reportingFailure { () throws(DatasetCatalog.Failure) in
                try catalog.frames(of: name, asOf: generation, range: range) { frame in
                    renderer.appendNDJSON(CollectionOfOne(frame), to: &out)
                    if out.count >= 1 << 16 { Self.write(&out) }
                }
            }
            Self.write(&out)
        }

        /// Straight to fd 1, in pieces of 64 KiB, so that memory stays flat for any range.
        private static func write(_ out: inout [UInt8]) {
            out.withUnsafeBytes { bytes in
                var done = 0
                while done < bytes.count {
                    let count = Glibc.write(1, bytes.baseAddress! + done, bytes.count - done)
                    if count < 0 && errno == EINTR { continue }
                    guard count > 0 else { return }
                    done += count
                }
            }
            out.removeAll(keepingCapacity: true)
        }
    }

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
