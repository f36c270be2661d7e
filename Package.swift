// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "RuleLang",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "rulec", targets: ["rulec"]),
        .library(name: "RuleLang", targets: ["RuleLang"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
    ],
    targets: [
        .systemLibrary(name: "CYaml", path: "Sources/CYaml", pkgConfig: "yaml-0.1",
                       providers: [.apt(["libyaml-dev"])]),
        .systemLibrary(name: "CPCRE2", path: "Sources/CPCRE2", pkgConfig: "libpcre2-8",
                       providers: [.apt(["libpcre2-dev"])]),
        .target(name: "RuleLang", dependencies: ["CYaml", "CPCRE2"]),
        .executableTarget(name: "rulec", dependencies: [
            "RuleLang",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .testTarget(name: "RuleLangTests", dependencies: ["RuleLang"],
                    exclude: ["Golden", "Cases"]),
    ]
)
