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
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.20.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.80.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.30.0"),
        .package(url: "https://github.com/apple/swift-certificates", from: "1.10.0"),
        .package(url: "https://github.com/apple/swift-asn1", from: "1.3.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.1.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.25.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.0"),
        .package(url: "https://github.com/hummingbird-project/swift-websocket", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.3.0"),
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
                .linkedLibrary("nftnl"),
                .linkedLibrary("netfilter_conntrack"),
            ]
        ),
        // Wall-clock marks of a pod's start for scripts/bench-pod-start; off unless
        // SKIFF_START_TRACE names a file. Glibc only, so every layer may mark.
        .target(name: "StartTrace"),
        .target(
            name: "NodeRuntime",
            dependencies: [
                "CShims",
                "StartTrace",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Services -> forwarding: nftables maps through netlink (default) or
        // iptables-restore (for comparison). Knows nothing of the API server.
        .target(
            name: "Dataplane",
            dependencies: [
                "CShims",
                "NodeRuntime",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Kubernetes API object model: no C, no SQLite, so `skiff` can link it alone.
        .target(name: "SkiffAPI"),
        // What the API server decides about an object without touching storage or the
        // network: defaults, validation, strict field checks, Tables, protobuf bodies.
        // Pure (SkiffAPI and Foundation only), so it builds and tests in seconds.
        .target(name: "APIRules", dependencies: ["SkiffAPI"]),
        // API server, store, controllers, scheduler. Never imported by NodeRuntime or Dataplane.
        .target(
            name: "ControlPlane",
            dependencies: [
                "SkiffAPI",
                "APIRules",
                "StartTrace",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // What `skiff` needs to talk to an API server: kubeconfig, HTTPS client,
        // manifests (YAML with line numbers), printers. No SQLite, no C of ours.
        .target(
            name: "SkiffClient",
            dependencies: [
                "SkiffAPI",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "WSClient", package: "swift-websocket"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Our kubelet: registers the Node, runs the pods bound to it through
        // NodeRuntime, probes them and reports their status through the API
        // server over HTTPS (so a second node needs nothing else).
        .target(
            name: "NodeAgent",
            dependencies: [
                "NodeRuntime",
                "StartTrace",
                "SkiffAPI",
                "SkiffClient",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Our kube-proxy: Services and EndpointSlices, listed and watched over
        // HTTPS, programmed into the node through Dataplane. Never imports ControlPlane.
        .target(
            name: "NodeProxy",
            dependencies: [
                "Dataplane",
                "NodeRuntime",
                "SkiffAPI",
                "SkiffClient",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "skiffd",
            dependencies: [
                "CShims",
                "NodeRuntime",
                "NodeAgent",
                "NodeProxy",
                "Dataplane",
                "SkiffClient",
                "SkiffAPI",
                "ControlPlane",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "skiff",
            dependencies: [
                "NodeRuntime",
                "SkiffClient",
                "SkiffAPI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Benchmarks: run through scripts/bench-*, results in docs/benchmarks/.
        .executableTarget(
            name: "skiff-bench",
            dependencies: ["NodeRuntime"],
            path: "Benchmarks/skiff-bench"
        ),
        // Network namespaces (client, node, pods with servers) shared by the
        // dataplane tests and benchmark. Setup only; never linked into skiffd.
        .target(name: "NetnsLab", dependencies: ["NodeRuntime"], path: "Benchmarks/NetnsLab"),
        .executableTarget(
            name: "skiff-dpbench",
            dependencies: ["Dataplane", "NetnsLab", "NodeRuntime", .product(name: "Logging", package: "swift-log")],
            path: "Benchmarks/skiff-dpbench"
        ),
        // API server load, and pod start through the whole system (which probes pods
        // from the node's network namespace, hence NodeRuntime).
        .executableTarget(
            name: "skiff-apibench", dependencies: ["SkiffClient", "SkiffAPI", "NodeRuntime"], path: "Benchmarks/skiff-apibench"),
        // Shared by the test targets: running programs without Foundation's Process.
        .target(name: "SkiffTestSupport", path: "Tests/SkiffTestSupport"),
        .testTarget(name: "SkiffAPITests", dependencies: ["SkiffAPI"]),
        .testTarget(
            name: "ControlPlaneTests",
            dependencies: ["ControlPlane", "SkiffAPI", "SkiffTestSupport", .product(name: "Logging", package: "swift-log")]),
        .testTarget(name: "APIRulesTests", dependencies: ["APIRules", "SkiffAPI"]),
        .testTarget(name: "SkiffClientTests", dependencies: ["SkiffClient", "SkiffAPI", "SkiffTestSupport"]),
        // Drives real `skiffd` and `skiff` processes and the real kubectl over HTTPS.
        .testTarget(
            name: "APIServerTests", dependencies: ["SkiffClient", "SkiffAPI", "SkiffTestSupport"], exclude: ["Fixtures"]),
        .testTarget(
            name: "NodeAgentTests",
            dependencies: ["NodeAgent", "NodeRuntime", "SkiffAPI", "SkiffClient", "CShims", "SkiffTestSupport"]),
        .testTarget(
            name: "NodeProxyTests",
            dependencies: ["NodeProxy", "Dataplane", "NodeRuntime", "SkiffAPI", "SkiffClient", .product(name: "Logging", package: "swift-log")]),
        .testTarget(name: "DataplaneTests", dependencies: ["Dataplane", "NetnsLab", "NodeRuntime", "CShims"]),
        .testTarget(
            name: "NodeRuntimeTests",
            dependencies: ["NodeRuntime", "CShims", "SkiffTestSupport"],
            resources: [.copy("Fixtures")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
