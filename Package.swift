// swift-tools-version:6.0
import PackageDescription

import Foundation

/// Release builds target x86-64-v3 (AVX2, FMA: the renderer's 8-lane loops run in one register) when the build
/// machine has it, as `-march=native` would; `SYNTHBENCH_PORTABLE=1` builds for any x86-64. The output is the
/// same byte for byte either way (IEEE operations, no contraction into FMA). Such a binary refuses to start on
/// a CPU without x86-64-v3 (CPlatform).
let x86_64_v3: Bool = {
    guard ProcessInfo.processInfo.environment["SYNTHBENCH_PORTABLE"] == nil,
          let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
          let line = info.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) else { return false }
    let flags = Set(line.split(separator: " ").map(String.init))
    return ["avx", "avx2", "fma", "bmi1", "bmi2", "f16c", "movbe", "abm"].allSatisfy(flags.contains)
}()

/// Hot modules are measured with -Ounchecked in release builds (bounds checks off in the pixel loops).
let fast: [SwiftSetting] = [.unsafeFlags(["-Ounchecked"] + (x86_64_v3 ? ["-target-cpu", "haswell"] : []),
                                         .when(configuration: .release))]

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
        // Process set-up: allocator settings, CPU feature checks (and the start-up check of x86-64-v3 builds).
        .target(name: "CPlatform", cSettings: x86_64_v3 ? [.define("SYNTHBENCH_X86_64_V3", .when(configuration: .release))] : []),

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
                dependencies: ["Support", "Randomization", "Physics", "Render", "COCO", "CPlatform"],
                swiftSettings: fast),

        // Readers of datasets and results.
        .target(name: "Audit", dependencies: ["Stats", "Support", "COCO"], swiftSettings: fast),
        .target(name: "Harness", dependencies: ["Generator", "Stats", "Support", "CPlatform"], swiftSettings: fast),
        .target(name: "Grading", dependencies: ["Audit", "Harness", "COCO", "Stats", "Support",
                                                .product(name: "Yams", package: "Yams")], swiftSettings: fast),

        .executableTarget(name: "synthbench",
                          dependencies: ["Generator", "COCO", "Stats", "Randomization", "Support", "Audit", "Harness", "Grading", "CPlatform",
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

