// swift-tools-version:6.0
import PackageDescription

/// Hot modules are measured with -Ounchecked in release builds (bounds checks off in the pixel loops).
let fast: [SwiftSetting] = [.unsafeFlags(["-Ounchecked"], .when(configuration: .release))]

let package = Package(
    name: "SynthBench",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "synthbench", targets: ["synthbench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // C libraries, reached only through these targets and one Swift wrapper each.
        .systemLibrary(name: "CLibPNG", pkgConfig: "libpng",
                       providers: [.apt(["libpng-dev"]), .brew(["libpng"])]),
        .systemLibrary(name: "CGSL", pkgConfig: "gsl",
                       providers: [.apt(["libgsl-dev"]), .brew(["gsl"])]),
        .systemLibrary(name: "CODE", pkgConfig: "ode",
                       providers: [.apt(["libode-dev"]), .brew(["ode"])]),

        // SHA-256 block function on the x86 SHA extensions (portable Swift fallback in Support).
        .target(name: "CSHA256", cSettings: [.unsafeFlags(["-O3"])]),

        // Leaves.
        .target(name: "Support", dependencies: ["CLibPNG", "CSHA256"], swiftSettings: fast),
        .target(name: "Stats", dependencies: ["CGSL"], swiftSettings: fast),
        .target(name: "COCO", dependencies: ["Support"], swiftSettings: fast),

        // Generator stack.
        .target(name: "Randomization", dependencies: ["Support", .product(name: "Yams", package: "Yams")],
                swiftSettings: fast),
        .target(name: "Physics", dependencies: ["CODE"], swiftSettings: fast),
        .target(name: "Render", dependencies: ["Support"], swiftSettings: fast),
        .target(name: "Generator",
                dependencies: ["Support", "Randomization", "Physics", "Render", "COCO"],
                swiftSettings: fast),

        // Readers of datasets and results.
        .target(name: "Audit", dependencies: ["Stats", "Support", "COCO"], swiftSettings: fast),
        .target(name: "Harness", dependencies: ["Generator", "Stats", "Support"], swiftSettings: fast),
        .target(name: "Grading", dependencies: ["Audit", "Harness", "COCO", "Stats", "Support",
                                                .product(name: "Yams", package: "Yams")], swiftSettings: fast),

        .executableTarget(name: "synthbench",
                          dependencies: ["Generator", "COCO", "Stats", "Randomization", "Support", "Audit", "Harness", "Grading",
                                         .product(name: "ArgumentParser", package: "swift-argument-parser")],
                          swiftSettings: fast),

        .testTarget(name: "SupportTests", dependencies: ["Support"]),
        .testTarget(name: "RandomizationTests", dependencies: ["Randomization"]),
        .testTarget(name: "PhysicsTests", dependencies: ["Physics"]),
        .testTarget(name: "RenderTests", dependencies: ["Render"]),
        .testTarget(name: "COCOTests", dependencies: ["COCO", "Support"]),
        .testTarget(name: "StatsTests", dependencies: ["Stats"]),
        .testTarget(name: "GeneratorTests", dependencies: ["Generator", "Randomization", "Render", "COCO", "Support"]),
        .testTarget(name: "AuditTests", dependencies: ["Audit", "Stats", "Randomization", "Generator", "Support"]),
        .testTarget(name: "HarnessTests", dependencies: ["Harness", "Generator", "Stats", "Support"]),
        .testTarget(name: "GradingTests", dependencies: ["Grading", "Audit", "Harness", "COCO", "Support"]),
        .testTarget(name: "CLITests", dependencies: ["Support"]),
    ],
    swiftLanguageModes: [.v5]
)

