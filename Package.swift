// swift-tools-version: 6.1
import PackageDescription

// Skiff: a kernel-close, Kubernetes-style node runtime.
// Imports point down: executables wire the libraries; NodeRuntime and Dataplane
// never import ControlPlane; only CShims speaks C.
let package = Package(
    name: "Skiff",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "skiffd", targets: ["skiffd"]),
        .executable(name: "skiff", targets: ["skiff"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
    ],
    targets: [
        // Thin C: clone3, mounts, namespaces, seccomp, capabilities, archives. No policy.
        .target(
            name: "CShims",
            cSettings: [.define("_GNU_SOURCE")],
            linkerSettings: [
                .linkedLibrary("seccomp"),
                .linkedLibrary("cap"),
                .linkedLibrary("archive"),
                .linkedLibrary("mnl"),
                .linkedLibrary("nftables"),
            ]
        ),
        .target(
            name: "NodeRuntime",
            dependencies: [
                "CShims",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Kubernetes API object model: no C, no SQLite, so `skiff` can link it alone.
        .target(name: "SkiffAPI"),
        // API server, store, controllers, scheduler. Never imported by NodeRuntime or Dataplane.
        .target(
            name: "ControlPlane",
            dependencies: [
                "SkiffAPI",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "skiffd",
            dependencies: [
                "NodeRuntime",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "skiff",
            dependencies: [
                "NodeRuntime",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Benchmarks: run through scripts/bench-*, results in docs/benchmarks/.
        .executableTarget(
            name: "skiff-bench",
            dependencies: ["NodeRuntime"],
            path: "Benchmarks/skiff-bench"
        ),
        .testTarget(name: "SkiffAPITests", dependencies: ["SkiffAPI"]),
        .testTarget(name: "ControlPlaneTests", dependencies: ["ControlPlane", "SkiffAPI"]),
        .testTarget(
            name: "NodeRuntimeTests",
            dependencies: ["NodeRuntime", "CShims"],
            resources: [.copy("Fixtures")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
