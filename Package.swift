// swift-tools-version: 6.1
import PackageDescription

// Package-wide settings: Swift 6 language mode (strict concurrency) everywhere.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("InternalImportsByDefault")
]

// Only with the PostgreSQL trait: without it, neither postgres-nio nor what it brings is compiled.
let postgresNIO: Target.Dependency = .product(
    name: "PostgresNIO", package: "postgres-nio", condition: .when(traits: ["PostgreSQL"]))
// PGStore's own NIO uses (ByteBuffer, EventLoopFuture in Bounded.swift), declared rather than
// borrowed through postgres-nio.
let nioCore: Target.Dependency = .product(
    name: "NIOCore", package: "swift-nio", condition: .when(traits: ["PostgreSQL"]))
let pgStore: Target.Dependency = .target(name: "PGStore", condition: .when(traits: ["PostgreSQL"]))
let fleet: Target.Dependency = .target(name: "Fleet", condition: .when(traits: ["PostgreSQL"]))

let package = Package(
    name: "govsweep",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "govsweep", targets: ["govsweep"])
    ],
    // PostgreSQL (the fleet: `govsweep fleet`, `govsweep worker`, `--store postgres://`) is a
    // trait, off by default: postgres-nio brings swift-nio, swift-crypto and BoringSSL, and a
    // clean release build took 470-850 s with them against ~190 s without (README's first
    // command). `swift build -c release --traits PostgreSQL` builds it in; without the trait
    // those commands fail in one line naming that command. Its code is under `#if PostgreSQL`.
    traits: [
        .trait(
            name: "PostgreSQL",
            description: "The PostgreSQL store and fleet mode (postgres-nio, swift-nio, BoringSSL).")
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.65.0"),
    ],
    targets: [
        // C shims only.
        .systemLibrary(
            name: "CCurl", pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(
            name: "CLibXML2", pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev", "zlib1g-dev"])]),
        .systemLibrary(
            name: "CSQLite", pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]),
        // Byte scans of page text in SSE2 (static inline, in its header).
        .target(name: "CBytes"),

        // The words every layer shares: findings, indicators, days, URLs, hashes, key tables.
        // It imports nothing of ours; everything else may import it.
        .target(name: "Vocabulary", swiftSettings: swiftSettings),

        // The pipeline, one way: fetch and parse know nothing of the rest; the store knows the
        // vocabulary and SQLite; the crawl knows no rules; inspection does no I/O; Sweep wires
        // them together; Report writes what Sweep hands it. docs/ARCHITECTURE.md draws it.
        .target(name: "Fetch", dependencies: ["Vocabulary", "CCurl"], swiftSettings: swiftSettings),
        .target(name: "Parse", dependencies: ["Vocabulary", "CLibXML2", "CBytes"], swiftSettings: swiftSettings),
        .target(name: "Store", dependencies: ["Vocabulary", "CSQLite"], swiftSettings: swiftSettings),
        // The PostgreSQL store (fleet mode): the same capabilities as SQLiteStore, through
        // postgres-nio, with versioned migrations any component can add to.
        .target(
            name: "PGStore",
            dependencies: [
                "Vocabulary", "Store", postgresNIO, nioCore,
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings),
        .target(
            name: "Crawl", dependencies: ["Vocabulary", "Fetch", "Parse", "Store", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings),
        .target(
            name: "Inspect", dependencies: ["Vocabulary", "Parse", "CBytes", .product(name: "Yams", package: "Yams")],
            swiftSettings: swiftSettings),
        .target(name: "Report", dependencies: ["Vocabulary", "Inspect"], swiftSettings: swiftSettings),
        // Pages rendered in headless Chromium (a process a page, bounded): for pages filled by script.
        .target(name: "Render", swiftSettings: swiftSettings),
        .target(
            name: "Sweep",
            dependencies: [
                // PGStore in every build: its URL and error types (PGLocation, PGStoreError) need no
                // NIO and tell a postgres:// store from a file; the rest is under `#if PostgreSQL`.
                "Vocabulary", "Fetch", "Parse", "Store", "PGStore", "Crawl", "Inspect", "Report", "Render",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings),
        // Fleet mode's sites, rounds, jobs and workers in the shared PostgreSQL store: a worker
        // claims a job and sweeps the site through Sweep, as `govsweep sweep` would.
        .target(
            name: "Fleet",
            dependencies: [
                "Vocabulary", "Store", "Sweep", "Report", "Inspect", "PGStore", postgresNIO,
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings),
        // An in-process HTTP/1.1 server on 127.0.0.1 for the demo portal and the tests
        // (it must misbehave on purpose: resets, slow drips, endless redirects, huge bodies).
        .target(name: "LocalServer", dependencies: ["Vocabulary"], swiftSettings: swiftSettings),
        // Test support: the inspection's site fixture and the real pages (one copy, for every
        // test target that reads one), used by test targets only.
        .target(
            name: "InspectTesting", dependencies: ["Vocabulary", "Parse", "Inspect"], resources: [.copy("RealPages")],
            swiftSettings: swiftSettings),
        .target(
            name: "Demo", dependencies: ["Vocabulary", "LocalServer"], resources: [.copy("portal")],
            swiftSettings: swiftSettings),
        .executableTarget(
            name: "govsweep",
            dependencies: [
                "Sweep", "Vocabulary", "Crawl", "Report", "Demo", "Store", pgStore, fleet, "Inspect", "Fetch", "Render",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
            ], swiftSettings: swiftSettings,
            // The release build allocates through tcmalloc (apt libtcmalloc-minimal4, linked by its
            // file name: no -dev package needed): a sweep makes over a thousand small allocations a
            // page, and glibc's malloc took a tenth of its CPU (Benchmarks/README.md has the A/B).
            linkerSettings: [.linkedLibrary(":libtcmalloc_minimal.so.4", .when(platforms: [.linux], configuration: .release))]),

        .testTarget(name: "FetchTests", dependencies: ["Vocabulary", "Fetch", "LocalServer"], swiftSettings: swiftSettings),
        .testTarget(
            name: "ParseTests", dependencies: ["Vocabulary", "Parse", "CBytes", "InspectTesting"], swiftSettings: swiftSettings),
        .testTarget(
            name: "CrawlTests", dependencies: ["Vocabulary", "Crawl", "LocalServer", "Store", "Inspect", "Sweep"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "InspectTests",
            dependencies: ["Vocabulary", "Inspect", "CBytes", "InspectTesting", "Parse", "Fetch", "LocalServer", "Sweep"],
            swiftSettings: swiftSettings),
        .testTarget(name: "ReportTests", dependencies: ["Vocabulary", "Report", "Inspect", "CLibXML2"], swiftSettings: swiftSettings),
        .testTarget(
            name: "RenderTests", dependencies: ["Vocabulary", "Render", "Store", "Sweep", "Inspect", "Parse", "Crawl", "LocalServer", "InspectTesting"],
            swiftSettings: swiftSettings),
        .testTarget(name: "StoreTests", dependencies: ["Vocabulary", "Store"], swiftSettings: swiftSettings),
        .testTarget(
            name: "PGStoreTests",
            dependencies: [
                "Vocabulary", "Store", pgStore, "Sweep", "Demo", postgresNIO,
            ],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "FleetTests",
            dependencies: [
                "govsweep", fleet, "Vocabulary", "Store", pgStore, "Sweep", "LocalServer",
                postgresNIO, .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings),
        .testTarget(name: "LocalServerTests", dependencies: ["LocalServer"], swiftSettings: swiftSettings),
        .testTarget(
            name: "GovsweepTests", dependencies: ["govsweep", "Vocabulary", "LocalServer", "Demo", "Store", "Inspect", "Sweep", "Render"],
            exclude: ["Fixtures"],
            swiftSettings: swiftSettings),
    ],
    swiftLanguageModes: [.v6]
)
