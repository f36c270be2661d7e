// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "RuleLang",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "rulec", targets: ["rulec"]),
        .library(name: "RuleLang", targets: ["RuleLang"]),
        .library(name: "RuleCompiler", targets: ["RuleCompiler"]),
        .library(name: "RuleRuntime", targets: ["RuleRuntime"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        // The evaluation service (`rulec serve`): HTTP, the embedded store, logs, metrics, lifecycle.
        .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1"),
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", exact: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", exact: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", exact: "2.13.0"),
        .package(url: "https://github.com/apple/swift-crypto", exact: "3.12.3"),
    ],
    targets: [
        .systemLibrary(name: "CYaml", path: "Sources/CYaml", pkgConfig: "yaml-0.1",
                       providers: [.apt(["libyaml-dev"])]),
        .systemLibrary(name: "CPCRE2", path: "Sources/CPCRE2", pkgConfig: "libpcre2-8",
                       providers: [.apt(["libpcre2-dev"])]),
        .target(name: "RuleText"),
        .target(name: "RuleLang", dependencies: ["CYaml", "CPCRE2", "RuleText"]),
        .target(name: "RuleVM", dependencies: ["CPCRE2", "RuleText"]),
        // The runtime pack model, its evaluator and its artifact form: what the engine runs on.
        .target(name: "RuleRuntime", dependencies: ["RuleVM", "RuleText"]),
        .target(name: "RuleCompiler", dependencies: ["RuleLang", "RuleRuntime", "RuleVM", "RuleText", "CPCRE2"]),
        .target(name: "AlertEngine", dependencies: ["RuleRuntime", "RuleVM", "RuleText"]),
        // Notification payloads (Slack, Teams, PagerDuty, webhook) and delivery policy (retry,
        // failover, rate limits, breaker) as pure code: the service sends what they build.
        .target(name: "NotificationDrivers", dependencies: ["AlertEngine", "RuleRuntime", "RuleVM", "RuleText"]),
        // Runs a pack's `tests:` (from its source) through the engine: rulec and the tests use it.
        .target(name: "PackTesting", dependencies: ["RuleLang", "RuleCompiler", "RuleRuntime", "AlertEngine", "RuleVM", "RuleText"]),
        // The service's durable store: the backend protocol and its SQLite (GRDB) implementation. No HTTP
        // here, so another backend (PostgreSQL) drops in beside it.
        .target(name: "ServiceStore", dependencies: [
            "AlertEngine", "RuleRuntime", "RuleVM",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        // The evaluation service's shell: HTTP routes, tenants, keys, scheduler, reload, metrics.
        .target(name: "AlertService", dependencies: [
            "ServiceStore", "AlertEngine", "RuleCompiler", "RuleLang", "RuleRuntime", "RuleVM", "RuleText",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        // Other products' protocols as pure translation code the service's routes call:
        // Alertmanager API v2 and PagerDuty Events API v2 (no HTTP here).
        .target(name: "ServiceCompat", dependencies: ["RuleLang", "RuleCompiler", "RuleRuntime", "AlertEngine", "RuleVM", "RuleText"]),
        .executableTarget(name: "rulec", dependencies: [
            "RuleLang", "RuleCompiler", "RuleRuntime", "RuleVM", "AlertEngine", "PackTesting", "AlertService", "ServiceStore",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "rulelang-bench", dependencies: ["RuleLang", "RuleCompiler", "RuleRuntime", "RuleVM", "AlertEngine", "PackTesting", "HostileInputs", "AnomalyStreams"],
                          path: "Benchmarks/PredicateBench"),
        // Generators of hostile packs, alerts and imports, shared by the tests and the fuzzer.
        .target(name: "HostileInputs", path: "Tests/HostileInputs"),
        // Labelled alert-rate streams for the anomaly benchmark and its tests, and their replay.
        .target(name: "AnomalyStreams", dependencies: ["AlertEngine", "HostileInputs", "RuleCompiler", "RuleRuntime", "RuleLang", "RuleVM"], path: "Tests/AnomalyStreams"),
        // The reference evaluator, the oracle the optimizer and the VM are judged against: test
        // support only, never part of what it judges nor of the `rulec` product.
        .target(name: "ReferenceOracle", dependencies: ["RuleLang", "RuleVM", "RuleText", "CPCRE2"], path: "Tests/ReferenceOracle"),
        // Compiling packs the tests expect to compile (failing loudly otherwise), shared by the test targets.
        .target(name: "TestSupport", dependencies: ["RuleCompiler", "RuleRuntime", "RuleLang"], path: "Tests/TestSupport"),
        .testTarget(name: "RuleLangTests", dependencies: ["RuleLang", "HostileInputs"],
                    exclude: ["Golden", "Cases", "Recovery"]),
        .testTarget(name: "AlertEngineTests", dependencies: ["AlertEngine", "TestSupport", "PackTesting", "RuleCompiler", "RuleRuntime", "RuleLang", "RuleVM", "AnomalyStreams"]),
        .testTarget(name: "RuleCompilerTests", dependencies: ["RuleCompiler", "TestSupport", "RuleRuntime", "RuleLang", "RuleVM", "RuleText", "HostileInputs", "ReferenceOracle"],
                    exclude: ["Golden"]),
        .testTarget(name: "ServiceStoreTests", dependencies: ["ServiceStore", "TestSupport", "AlertEngine", "RuleCompiler", "RuleRuntime", "RuleLang", "RuleVM"]),
        .testTarget(name: "AlertServiceTests", dependencies: [
            "AlertService", "ServiceStore", "AlertEngine", "RuleCompiler", "RuleRuntime", "RuleLang", "RuleVM",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdTesting", package: "hummingbird"),
        ]),
        .testTarget(name: "ServiceCompatTests", dependencies: ["ServiceCompat", "RuleCompiler", "RuleRuntime", "AlertEngine", "RuleLang", "RuleVM", "RuleText"],
                    exclude: ["Fixtures"]),
        .testTarget(name: "NotificationDriversTests", dependencies: ["NotificationDrivers", "AlertEngine", "RuleCompiler", "RuleRuntime", "RuleLang", "RuleVM", "RuleText"],
                    exclude: ["Golden"]),
        .testTarget(name: "RuleVMTests", dependencies: ["RuleVM", "TestSupport", "RuleText", "RuleCompiler", "RuleRuntime", "RuleLang"]),
    ]
)
