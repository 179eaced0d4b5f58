// swift-tools-version:6.2
// Descent: a terminal workbench for learning machine learning.
// Layering (see README "Modules"): engine modules never import UI modules; only
// NcursesBackend imports ncurses and readline; only `descent` wires concrete parts.
import PackageDescription

/// Release builds of the engine and the training loop skip Swift's run-time exclusivity checks:
/// every access to a class's stored property that a method mutates in place (a layer's buffers,
/// an optimizer's slots, a run's parts) went through `swift_beginAccess`, a thread-local access
/// set: 25 % of a small network's update (perf, W3). Debug builds, which `make test` runs, keep
/// the checks, so a conflicting access still traps in the tests (README, Decisions).
let uncheckedExclusivity: SwiftSetting = .unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))

/// The engine is optimised even in debug builds: its SIMD kernels and inner loops are 100–500x
/// slower unoptimised (shared/NOTES.md), which would make `make test`'s learning tests and
/// notebook replays take many minutes. Debug builds still check overflow and bounds.
let optimizedEngine: [SwiftSetting] = [.unsafeFlags(["-O"], .when(configuration: .debug)), uncheckedExclusivity]

let package = Package(
    name: "Descent",
    products: [
        .executable(name: "descent", targets: ["descent"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        // The model server. `traits: []` leaves out swift-configuration and full Foundation,
        // which Descent does not use (shared/NOTES.md: Hummingbird needs tools 6.2).
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
        .package(url: "https://github.com/apple/swift-log", from: "1.14.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.0"),
        // The server's inline path (Serving/InlineInference) speaks the HTTP types Hummingbird's
        // pipeline carries; both packages are already in its dependency graph.
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0", traits: []),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.0.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        // The run store: SQLite through GRDB, which links Debian's libsqlite3 (README, Decisions).
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        // Property-based tests (tests only): random inputs, failures shrunk to the smallest.
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
    ],
    targets: [
        // MARK: - System libraries (module map + shim header each)
        .systemLibrary(name: "CBLAS", pkgConfig: "openblas",
                       providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CNcursesw", providers: [.apt(["libncurses-dev"])]),
        .systemLibrary(name: "CReadline", providers: [.apt(["libreadline-dev"])]),
        .systemLibrary(name: "CZlib", providers: [.apt(["zlib1g-dev"])]),

        // MARK: - Engine (no UI; no threads but WorkSplit's one helper)
        // Kernels built for two instruction sets with run-time choice (CKernels.h says why).
        .target(name: "CKernels", cSettings: [.unsafeFlags(["-O3"])]),
        .target(name: "TensorCore", dependencies: ["CBLAS", "CKernels"], swiftSettings: optimizedEngine),
        .target(name: "NeuralEngine", dependencies: ["TensorCore", "CKernels"], swiftSettings: optimizedEngine),
        .target(name: "Datasets", dependencies: ["TensorCore", "CZlib"], resources: [.copy("Resources")],
                swiftSettings: optimizedEngine),

        // The weights file format, bytes in and out (no file system: a fuzzer calls it).
        .target(name: "SafeTensorsFormat"),
        // Protocol-buffer messages written field by field (TensorBoard's events, ONNX models).
        .target(name: "ProtobufWire"),
        // TensorBoard's event files, bytes only: TFRecord frames, Event and Summary protobufs.
        .target(name: "TensorBoardFormat", dependencies: ["ProtobufWire"]),
        // ONNX models, bytes only: a graph builder over ModelProto, GraphProto, NodeProto, TensorProto.
        .target(name: "ONNXFormat", dependencies: ["ProtobufWire"]),

        // MARK: - A learner's model: its typed set-up, its saved file, the Predictor that answers
        // with it. Below the interpreter and the server, which both use it (README, Modules).
        .target(name: "Models",
                dependencies: ["CommandLanguage", "TensorCore", "NeuralEngine", "Datasets", "SafeTensorsFormat"]),

        // Every run kept across sessions, in one SQLite file (plain values in and out).
        .target(name: "RunStore", dependencies: [.product(name: "GRDB", package: "GRDB.swift")]),

        // MARK: - Session (headless)
        .target(name: "EventRing"),
        .target(name: "Training", dependencies: ["TensorCore", "NeuralEngine", "EventRing"], swiftSettings: [uncheckedExclusivity]),
        .target(name: "CommandLanguage"),
        .target(name: "WorkbenchCore",
                dependencies: ["CommandLanguage", "Models", "Training", "NeuralEngine", "Datasets", "TensorCore", "SafeTensorsFormat",
                               "TensorBoardFormat", "ProtobufWire", "ONNXFormat", "RunStore"]),

        // MARK: - The model server (its own threads; never writes to the terminal)
        .target(name: "Serving",
                dependencies: ["Models", "Datasets", "NeuralEngine", "SafeTensorsFormat", "TensorCore", "CKernels",
                               .product(name: "Hummingbird", package: "hummingbird"),
                               .product(name: "Logging", package: "swift-log"),
                               .product(name: "NIOCore", package: "swift-nio"),
                               .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                               .product(name: "HTTPTypes", package: "swift-http-types"),
                               .product(name: "Prometheus", package: "swift-prometheus"),
                               .product(name: "ServiceLifecycle", package: "swift-service-lifecycle")]),

        // A class on one machine: its folder, roster, assignments, and grading by replay.
        .target(name: "Classroom", dependencies: ["CommandLanguage", "Models", "WorkbenchCore", "WorkbenchUI", "TerminalUI"]),

        // MARK: - Front ends
        .target(name: "TerminalUI"),
        .target(name: "WorkbenchUI",
                dependencies: ["TerminalUI", "WorkbenchCore", "Models", "CommandLanguage", "Training", "NeuralEngine", "Datasets"]),
        // The crash path's terminal restore, in C: only async-signal-safe calls (its header says why).
        .target(name: "CTerminalSafety"),
        // Landlock for a learner's workbench in a class (`descent --confine`), by the kernel's ABI numbers.
        .target(name: "CSandbox"),
        .target(name: "NcursesBackend", dependencies: ["CNcursesw", "CReadline", "CTerminalSafety", "TerminalUI"]),
        .target(name: "BenchmarkSuite",
                dependencies: ["EventRing", "Training", "NeuralEngine", "Datasets", "TensorCore",
                               "WorkbenchCore", "Models", "WorkbenchUI", "TerminalUI", "TestSupport", "RunStore", "SafeTensorsFormat"]),
        .executableTarget(name: "descent",
                          dependencies: ["WorkbenchCore", "Models", "WorkbenchUI", "TerminalUI", "NcursesBackend", "BenchmarkSuite", "Serving", "RunStore", "Classroom", "CSandbox", "Training", "TensorCore",
                                         // and what Fuzzing/ calls: every reader of outside input
                                         "CommandLanguage", "Datasets", "SafeTensorsFormat",
                                         .product(name: "ArgumentParser", package: "swift-argument-parser")]),

        // MARK: - Tests (one target per module)
        // What several test targets (and the benchmarks' second thread) share: a seeded
        // generator, a joinable thread, bounded waits, the repository's root, an allocation counter.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "TensorCoreTests", dependencies: ["TensorCore", "CKernels"]),
        .testTarget(name: "NeuralEngineTests", dependencies: ["NeuralEngine", "Datasets", "TensorCore", "TestSupport"]),
        .testTarget(name: "DatasetsTests", dependencies: ["Datasets", "TensorCore"]),
        .testTarget(name: "TensorBoardFormatTests", dependencies: ["TensorBoardFormat", "ProtobufWire"]),
        .testTarget(name: "SafeTensorsFormatTests", dependencies: [.product(name: "PropertyBased", package: "swift-property-based"), "SafeTensorsFormat"]),
        .testTarget(name: "RunStoreTests", dependencies: ["RunStore"]),
        .testTarget(name: "ClassroomTests", dependencies: ["Classroom", "CommandLanguage", "Models", "WorkbenchCore", "WorkbenchUI", "TerminalUI"]),
        .testTarget(name: "EventRingTests", dependencies: ["EventRing", "TestSupport"]),
        .testTarget(name: "CommandLanguageTests", dependencies: [.product(name: "PropertyBased", package: "swift-property-based"), "CommandLanguage", "TestSupport"]),
        .testTarget(name: "TrainingTests", dependencies: ["Training", "NeuralEngine", "Datasets", "TensorCore", "TestSupport"]),
        .testTarget(name: "WorkbenchCoreTests",
                    dependencies: [.product(name: "PropertyBased", package: "swift-property-based"), "WorkbenchCore", "Models", "CommandLanguage", "TensorCore", "Datasets", "NeuralEngine", "Training", "TestSupport", "SafeTensorsFormat", "Serving", "TensorBoardFormat", "RunStore"]),
        .testTarget(name: "ServingTests", dependencies: ["Serving", "Models", "WorkbenchCore", "Datasets", "TensorCore", "TestSupport",
                                                       "CKernels", .product(name: "NIOCore", package: "swift-nio"),
                                                       .product(name: "NIOPosix", package: "swift-nio")]),
        .testTarget(name: "NcursesBackendTests", dependencies: ["NcursesBackend", "TerminalUI", "CNcursesw"]),
        .testTarget(name: "DescentTests",
                    dependencies: ["descent", "TestSupport", .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        .testTarget(name: "TerminalUITests", dependencies: ["TerminalUI", "TestSupport"]),
        .testTarget(name: "WorkbenchUITests",
                    dependencies: ["WorkbenchUI", "WorkbenchCore", "Models", "TerminalUI", "Training", "NeuralEngine", "TensorCore",
                                   "TestSupport"],
                    exclude: ["Snapshots", "Fixtures"]),
    ],
    swiftLanguageModes: [.v6]
)
