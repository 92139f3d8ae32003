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
        .package(url: "https://github.com/apple/swift-numerics", from: "1.1.1"),
    ],
    targets: [
        // C libraries, found through pkg-config (Debian's -dev packages).
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CPNG", pkgConfig: "libpng", providers: [.apt(["libpng-dev"])]),
        .systemLibrary(name: "CFCGI", pkgConfig: "fcgi", providers: [.apt(["libfcgi-dev"])]),
        .systemLibrary(name: "CCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        // glibc's getrandom(2), for API-key secrets.
        .systemLibrary(name: "CSysRandom"),

        // Everything computable, in pure Swift: no C imports. Its sines come from swift-numerics, which
        // calls the C library's correctly rounded ones (the Lanczos weights must match Pillow's bit for bit).
        .target(name: "FramesCore", dependencies: [.product(name: "RealModule", package: "swift-numerics")]),

        // Thin wrappers, one per C library.
        .target(name: "PostgresClient", dependencies: ["CLibPQ"]),
        .target(name: "GzipCodec", dependencies: ["CZlib"]),
        .target(name: "PNGEncoder", dependencies: ["CPNG"]),
        .target(name: "FastCGI", dependencies: ["CFCGI"]),
        // The hashes stored data is defined with: SHA-256 from libcrypto, CRC-32 from zlib, and both as
        // the core's HashFunctions.
        .target(name: "Digests", dependencies: ["FramesCore", "CCrypto", "CZlib"]),
        // The identity provider's public keys in libcrypto, checking access tokens' signatures for the core.
        .target(name: "Signatures", dependencies: ["FramesCore", "CCrypto"]),

        // What every binary needs from the operating system: JSON logs on fd 2, atomic files, exit codes,
        // kernel randomness, the listening socket's queue (netlink), and the version they share.
        .target(name: "ProcessSupport", dependencies: ["FramesCore", "CSysRandom"]),

        // The database schema, the bulk loader and the read side.
        .target(name: "FrameStore", dependencies: ["FramesCore", "PostgresClient"]),

        // What the three command lines share: settings declared once (option, variable, default, parser, help),
        // the database setting, and sysexits statuses as argument-parser exits.
        .target(name: "CommandLineSupport", dependencies: ["FramesCore", "ProcessSupport", argumentParser]),

        // Each command line and what it runs, as a library, so that one binary could later answer to all
        // three names; the executables only call them.
        .target(name: "IngestCommand", dependencies: ["FramesCore", "FrameStore", "Digests", "GzipCodec", "ProcessSupport",
                                                      "CommandLineSupport", argumentParser]),
        .target(name: "FastCGICommand", dependencies: ["FramesCore", "FrameStore", "Digests", "FastCGI", "GzipCodec", "PNGEncoder", "ProcessSupport",
                                                       "CommandLineSupport", argumentParser]),
        .target(name: "AdminCommand", dependencies: ["FramesCore", "FrameStore", "Digests", "PostgresClient", "ProcessSupport",
                                                     "CommandLineSupport", argumentParser]),

        .executableTarget(name: "frames-ingest", dependencies: ["IngestCommand"]),
        .executableTarget(name: "frames-fcgi", dependencies: ["FastCGICommand"]),
        .executableTarget(name: "frames-admin", dependencies: ["AdminCommand"]),

        .testTarget(name: "FramesCoreTests", dependencies: ["FramesCore", "Digests", "ProcessSupport"], resources: [.copy("Fixtures")]),
        // The settings' declarations as the command lines read them: options, variables, defaults, refusals.
        .testTarget(name: "CommandLineSupportTests", dependencies: ["CommandLineSupport", argumentParser]),
        // Access tokens signed in the test with keys it makes in libcrypto, through the real verifier.
        // Fixtures/ holds tokens from an independent signer (tools/fixtures/make_jwt_fixtures.py), read through the
        // service's own file reading and JSON parser rather than as bundle resources.
        .testTarget(name: "OAuthTests", dependencies: ["FramesCore", "Signatures", "Digests", "ProcessSupport", "CCrypto"],
                    exclude: ["Fixtures"]),
        // The web layer in-process: the request handler and its endpoints with a fake sink, fake data and
        // fake keys, no server.
        .testTarget(name: "WebLayerTests", dependencies: ["FastCGICommand", "FramesCore", "FrameStore", "GzipCodec", "Digests", "ProcessSupport"]),
        // The ingest pipeline and the bulk loader against a connection that records what it is sent (no server).
        .testTarget(name: "IngestTests", dependencies: ["IngestCommand", "FrameStore", "FramesCore", "GzipCodec", "PostgresClient", "Digests"]),
        // The DLIS and LAS readers against files that dliswriter and lasio wrote, and bytes built by hand.
        .testTarget(name: "WellLogTests", dependencies: ["FramesCore"], resources: [.copy("Fixtures")]),
        // Also decodes what the wrappers wrote, through the same C libraries (nothing in the service decodes).
        .testTarget(name: "WrapperTests", dependencies: ["Digests", "FastCGI", "GzipCodec", "PNGEncoder", "PostgresClient", "ProcessSupport", "CZlib", "CPNG"]),
    ]
)
