// swift-tools-version:6.0
import PackageDescription

let argumentParser = Target.Dependency.product(name: "ArgumentParser", package: "swift-argument-parser")

let package = Package(
    name: "ImageFrameAPI",
    products: [
        .executable(name: "frames-ingest", targets: ["frames-ingest"]),
        .executable(name: "frames-fcgi", targets: ["frames-fcgi"]),
        .executable(name: "frames-admin", targets: ["frames-admin"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // C libraries, found through pkg-config (Debian's -dev packages).
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CPNG", pkgConfig: "libpng", providers: [.apt(["libpng-dev"])]),
        .systemLibrary(name: "CFCGI", pkgConfig: "fcgi", providers: [.apt(["libfcgi-dev"])]),
        // glibc's getrandom(2), for API-key secrets.
        .systemLibrary(name: "CSysRandom"),

        // Everything computable, in pure Swift: no C imports.
        .target(name: "FramesCore"),

        // Thin wrappers, one per C library.
        .target(name: "PostgresClient", dependencies: ["CLibPQ"]),
        .target(name: "GzipCodec", dependencies: ["CZlib"]),
        .target(name: "PNGEncoder", dependencies: ["CPNG"]),
        .target(name: "FastCGI", dependencies: ["CFCGI"]),

        // What every binary needs from the operating system: JSON logs on fd 2, atomic files, exit codes,
        // kernel randomness, and the version they share.
        .target(name: "ProcessSupport", dependencies: ["FramesCore", "CSysRandom"]),

        // The database schema, the bulk loader and the read side.
        .target(name: "FrameStore", dependencies: ["FramesCore", "PostgresClient"]),

        // What the three command lines share: --database, and sysexits statuses as argument-parser exits.
        .target(name: "CommandLineSupport", dependencies: ["ProcessSupport", argumentParser]),

        // Each command line and what it runs, as a library, so that one binary could later answer to all
        // three names; the executables only call them.
        .target(name: "IngestCommand", dependencies: ["FramesCore", "FrameStore", "GzipCodec", "ProcessSupport",
                                                      "CommandLineSupport", argumentParser]),
        .target(name: "FastCGICommand", dependencies: ["FramesCore", "FrameStore", "FastCGI", "GzipCodec", "PNGEncoder", "ProcessSupport",
                                                       "CommandLineSupport", argumentParser]),
        .target(name: "AdminCommand", dependencies: ["FramesCore", "FrameStore", "PostgresClient", "ProcessSupport",
                                                     "CommandLineSupport", argumentParser]),

        .executableTarget(name: "frames-ingest", dependencies: ["IngestCommand"]),
        .executableTarget(name: "frames-fcgi", dependencies: ["FastCGICommand"]),
        .executableTarget(name: "frames-admin", dependencies: ["AdminCommand"]),

        .testTarget(name: "FramesCoreTests", dependencies: ["FramesCore", "ProcessSupport"], resources: [.copy("Fixtures")]),
        // The DLIS and LAS readers against files that dliswriter and lasio wrote, and bytes built by hand.
        .testTarget(name: "WellLogTests", dependencies: ["FramesCore"], resources: [.copy("Fixtures")]),
        // Also decodes what the wrappers wrote, through the same C libraries (nothing in the service decodes).
        .testTarget(name: "WrapperTests", dependencies: ["FastCGI", "GzipCodec", "PNGEncoder", "PostgresClient", "ProcessSupport", "CZlib", "CPNG"]),
    ]
)
