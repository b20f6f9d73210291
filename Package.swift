// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "overparam",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "overparam", targets: ["overparam"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        // C libraries: header-only shims, one line each on why they exist.
        .systemLibrary(name: "CMPI", pkgConfig: "ompi-c",
                       providers: [.apt(["libopenmpi-dev"])]),
        .systemLibrary(name: "COpenBLAS", pkgConfig: "openblas",
                       providers: [.apt(["libopenblas-dev", "liblapacke-dev"])]),
        .systemLibrary(name: "CZlib", providers: [.apt(["zlib1g-dev"])]),

        // Elementwise kernels the C compiler vectorizes (optimizer updates).
        .target(name: "CKernels", cSettings: [.unsafeFlags(["-O3", "-fno-math-errno", "-ffp-contract=off"])]),
        // Matrices, BLAS/LAPACK, elementwise kernels, counter-based random streams.
        .target(name: "Numerical", dependencies: ["COpenBLAS", "CKernels"]),
        // IDX files, Fashion-MNIST, synthetic sets, subsets.
        .target(name: "Datasets", dependencies: ["Numerical", "CZlib"]),
        // Models, solvers, metrics.
        .target(name: "Learning", dependencies: ["Numerical", "Datasets"]),
        // Spec parsing and validation, the plan, and running one task.
        .target(name: "Sweep", dependencies: [
            "Numerical", "Datasets", "Learning", .product(name: "Yams", package: "Yams"),
        ]),
        // Transport (MPI or in-process), coordinator, worker, wire format.
        .target(name: "Cluster", dependencies: ["CMPI"]),
        // One SQLite file per sweep, written by rank 0 only.
        .target(name: "Store", dependencies: ["Numerical", .product(name: "GRDB", package: "GRDB.swift")]),
        // Ensemble statistics, tables, exports.
        .target(name: "Analysis", dependencies: ["Store", "Numerical"]),
        .executableTarget(name: "overparam", dependencies: [
            "Numerical", "Datasets", "Learning", "Sweep", "Cluster", "Store", "Analysis",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        .target(name: "TestSupport", dependencies: ["Numerical"], path: "Tests/TestSupport"),
        .testTarget(name: "NumericalTests", dependencies: ["Numerical", "TestSupport"]),
        .testTarget(name: "DatasetsTests", dependencies: ["Datasets", "TestSupport"]),
        .testTarget(name: "LearningTests", dependencies: ["Learning", "Datasets", "TestSupport"]),
        .testTarget(name: "SweepTests", dependencies: ["Sweep", "TestSupport"]),
        .testTarget(name: "ClusterTests", dependencies: ["Cluster", "TestSupport"]),
        .testTarget(name: "StoreTests", dependencies: ["Store", "TestSupport"]),
        .testTarget(name: "AnalysisTests", dependencies: ["Analysis", "TestSupport"]),
        // Launches the built `overparam` under real `mpirun`.
        .testTarget(name: "EndToEndTests", dependencies: ["overparam", "Store", "TestSupport"]),
        // Slow scientific checks, run at a reduced size by default.
        .testTarget(name: "ScienceTests", dependencies: ["overparam", "Store", "Analysis", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
