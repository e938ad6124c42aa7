// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "Dossier",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "dossier", targets: ["dossier"]),
        .library(name: "DossierCore", targets: ["DossierCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        // Only the tests use it: they check that Dossier's own template engine renders what
        // swift-mustache, which rendered the pages before, rendered.
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/swhitty/FlyingFox", from: "0.27.1"),
    ],
    targets: [
        .systemLibrary(
            name: "CMark",
            pkgConfig: "libcmark",
            providers: [.apt(["libcmark-dev"])]
        ),
        .target(
            name: "DossierCore",
            dependencies: [
                "CMark",
                .product(name: "Yams", package: "Yams"),
            ],
            resources: [.copy("Theme"), .copy("Basemap")]
        ),
        .target(
            name: "DossierServe",
            dependencies: [
                "DossierCore",
                .product(name: "FlyingSocks", package: "FlyingFox"),
            ]
        ),
        .executableTarget(
            name: "dossier",
            dependencies: [
                "DossierCore",
                "DossierServe",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            // mimalloc replaces glibc's malloc for the whole process (it comes before libc in
            // the link order): a build makes and frees millions of small values on both cores,
            // and glibc's allocator took about a sixth of its CPU (README, "Benchmark").
            linkerSettings: [.linkedLibrary("mimalloc", .when(platforms: [.linux]))]
        ),
        .executableTarget(
            name: "dossier-benchmark",
            dependencies: ["DossierCore", "DossierServe"]
        ),
        .testTarget(
            name: "DossierCoreTests",
            dependencies: ["DossierCore", .product(name: "Mustache", package: "swift-mustache")]
        ),
        .testTarget(
            name: "DossierServeTests",
            dependencies: ["DossierServe", "DossierCore"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
