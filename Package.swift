// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "ImageFrameAPI",
    products: [
        .executable(name: "frames-ingest", targets: ["frames-ingest"]),
        .executable(name: "frames-fcgi", targets: ["frames-fcgi"]),
    ],
    targets: [
        // C libraries, found through pkg-config (Debian's -dev packages).
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CPNG", pkgConfig: "libpng", providers: [.apt(["libpng-dev"])]),
        .systemLibrary(name: "CFCGI", pkgConfig: "fcgi", providers: [.apt(["libfcgi-dev"])]),

        // Everything computable, in pure Swift: no C imports.
        .target(name: "FramesCore"),

        // Thin wrappers, one per C library.
        .target(name: "PostgresClient", dependencies: ["CLibPQ"]),
        .target(name: "GzipCodec", dependencies: ["CZlib"]),
        .target(name: "PNGEncoder", dependencies: ["CPNG"]),
        .target(name: "FastCGI", dependencies: ["CFCGI"]),

        // What both binaries need from the operating system: JSON logs on fd 2, atomic files, exit codes.
        .target(name: "ProcessSupport", dependencies: ["FramesCore"]),

        // The database schema, the bulk loader and the read side.
        .target(name: "FrameStore", dependencies: ["FramesCore", "PostgresClient"]),

        .executableTarget(name: "frames-ingest", dependencies: ["FramesCore", "FrameStore", "GzipCodec", "ProcessSupport"]),
        .executableTarget(name: "frames-fcgi", dependencies: ["FramesCore", "FrameStore", "FastCGI", "PNGEncoder", "ProcessSupport"]),

        .testTarget(name: "FramesCoreTests", dependencies: ["FramesCore", "ProcessSupport"], resources: [.copy("Fixtures")]),
        // Also decodes what the wrappers wrote, through the same C libraries (nothing in the service decodes).
        .testTarget(name: "WrapperTests", dependencies: ["GzipCodec", "PNGEncoder", "CZlib", "CPNG"]),
    ]
)
