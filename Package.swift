// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "RuleLang",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "rulec", targets: ["rulec"]),
        .library(name: "RuleLang", targets: ["RuleLang"]),
        .library(name: "RuleCompiler", targets: ["RuleCompiler"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
    ],
    targets: [
        .systemLibrary(name: "CYaml", path: "Sources/CYaml", pkgConfig: "yaml-0.1",
                       providers: [.apt(["libyaml-dev"])]),
        .systemLibrary(name: "CPCRE2", path: "Sources/CPCRE2", pkgConfig: "libpcre2-8",
                       providers: [.apt(["libpcre2-dev"])]),
        .target(name: "RuleText"),
        .target(name: "RuleLang", dependencies: ["CYaml", "CPCRE2", "RuleText"]),
        .target(name: "RuleVM", dependencies: ["CPCRE2", "RuleText"]),
        .target(name: "RuleCompiler", dependencies: ["RuleLang", "RuleVM", "RuleText", "CPCRE2"]),
        .target(name: "AlertEngine", dependencies: ["RuleCompiler", "RuleLang", "RuleVM"]),
        .executableTarget(name: "rulec", dependencies: [
            "RuleLang", "RuleCompiler", "RuleVM", "AlertEngine",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "rulelang-bench", dependencies: ["RuleLang", "RuleCompiler", "RuleVM", "AlertEngine", "HostileInputs", "AnomalyStreams"],
                          path: "Benchmarks/PredicateBench"),
        // Generators of hostile packs, alerts and imports, shared by the tests and the fuzzer.
        .target(name: "HostileInputs", path: "Tests/HostileInputs"),
        // Labelled alert-rate streams for the anomaly benchmark and its tests, and their replay.
        .target(name: "AnomalyStreams", dependencies: ["AlertEngine", "RuleCompiler", "RuleLang", "RuleVM"], path: "Tests/AnomalyStreams"),
        .testTarget(name: "RuleLangTests", dependencies: ["RuleLang", "HostileInputs"],
                    exclude: ["Golden", "Cases"]),
        .testTarget(name: "AlertEngineTests", dependencies: ["AlertEngine", "RuleCompiler", "RuleLang", "RuleVM", "AnomalyStreams"]),
        .testTarget(name: "RuleCompilerTests", dependencies: ["RuleCompiler", "RuleLang", "RuleVM", "RuleText", "HostileInputs"],
                    exclude: ["Golden"]),
        .testTarget(name: "RuleVMTests", dependencies: ["RuleVM", "RuleText", "RuleCompiler", "RuleLang"]),
    ]
)
