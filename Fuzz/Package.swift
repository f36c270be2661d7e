// swift-tools-version: 6.1
// The libFuzzer target, kept out of the main package: it builds only with
// `--sanitize=fuzzer` (libFuzzer supplies `main`). Sources are the main package's, by symlink.
import PackageDescription

let package = Package(
    name: "RuleLangFuzz",
    targets: [
        .systemLibrary(name: "CYaml", path: "Sources/CYaml", pkgConfig: "yaml-0.1"),
        .systemLibrary(name: "CPCRE2", path: "Sources/CPCRE2", pkgConfig: "libpcre2-8"),
        .target(name: "RuleText"),
        .target(name: "RuleLang", dependencies: ["CYaml", "CPCRE2", "RuleText"]),
        .target(name: "RuleVM", dependencies: ["CPCRE2", "RuleText"]),
        .target(name: "RuleRuntime", dependencies: ["RuleVM", "RuleText"]),
        .target(name: "RuleCompiler", dependencies: ["RuleLang", "RuleRuntime", "RuleVM", "RuleText", "CPCRE2"]),
        .target(name: "HostileInputs"),
        .executableTarget(name: "FuzzCheck", dependencies: ["RuleLang"],
                          swiftSettings: [.unsafeFlags(["-parse-as-library"])]),
        .executableTarget(name: "FuzzHostile", dependencies: ["RuleLang", "RuleCompiler", "RuleRuntime", "HostileInputs"],
                          swiftSettings: [.unsafeFlags(["-parse-as-library"])]),
    ]
)
