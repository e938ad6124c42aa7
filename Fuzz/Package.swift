// swift-tools-version: 6.0
// libFuzzer targets for the stages that read what editors and agencies write. Built and run by
// `scripts/fuzz.sh` only, so `swift build` and `swift test` of the main package never pay for them.
//
// The targets reach DossierCore's internal types (`FrontMatterSplit`, `NameMatcher`,
// `PassageAnchoring`, ...) through `@testable import`: the script builds with `-enable-testing`,
// which allows that in a release build too. The main package's public API stays what the
// command line and the tests need; nothing is made public for fuzzing alone.
import Foundation
import PackageDescription

/// The package at the top of the repository: SwiftPM names a path dependency after its folder.
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().lastPathComponent

func fuzzTarget(_ name: String, path: String) -> Target {
    .executableTarget(
        name: name,
        dependencies: ["FuzzSupport", .product(name: "DossierCore", package: root)],
        path: "Sources/\(path)"
    )
}

let package = Package(
    name: "DossierFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(path: "..")],
    targets: [
        .target(name: "FuzzSupport", dependencies: [.product(name: "DossierCore", package: root)]),
        fuzzTarget("fuzz-front-matter", path: "FrontMatter"),
        fuzzTarget("fuzz-plain-text", path: "PlainText"),
        fuzzTarget("fuzz-mentions", path: "Mentions"),
        fuzzTarget("fuzz-passages", path: "Passages"),
    ],
    swiftLanguageModes: [.v6]
)
