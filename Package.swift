// swift-tools-version:6.0
// SynthBench is free software under the GNU General Public License, version 3 or (at your option) any later
// version (GPL-3.0-or-later, LICENSE); it links GSL, which is GPL. Built and tested on Linux only.
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

/// Every Swift module builds with the normal -O in release builds (bounds and overflow checks on), for the target
/// CPU chosen above.
let checked: [SwiftSetting] = x86_64_v3 ? [.unsafeFlags(["-target-cpu", "haswell"], .when(configuration: .release))] : []
/// -Ounchecked only in the renderer, whose pixel loops were tuned and measured with it and which reads no file: its input is
/// a scene built from an already validated config (docs/ARCHITECTURE.md, "Build").
let fast: [SwiftSetting] = [.unsafeFlags(["-Ounchecked"] + (x86_64_v3 ? ["-target-cpu", "haswell"] : []),
                                         .when(configuration: .release))]

let package = Package(
    name: "SynthBench",
    products: [
        .executable(name: "synthbench", targets: ["synthbench"]),
        // Libraries for the benchmark package in Benchmarks/ (a separate package that depends on this one by path).
        .library(name: "Support", targets: ["Support"]),
        .library(name: "Stats", targets: ["Stats"]),
        .library(name: "COCO", targets: ["COCO"]),
        .library(name: "Randomization", targets: ["Randomization"]),
        .library(name: "Physics", targets: ["Physics"]),
        .library(name: "Render", targets: ["Render"]),
        .library(name: "Generator", targets: ["Generator"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // C libraries, reached only through these targets and one Swift wrapper each.
        .systemLibrary(name: "CLibPNG", pkgConfig: "libpng",
                       providers: [.apt(["libpng-dev"])]),
        .systemLibrary(name: "CGSL", pkgConfig: "gsl",
                       providers: [.apt(["libgsl-dev"])]),
        .systemLibrary(name: "CODE", pkgConfig: "ode",
                       providers: [.apt(["libode-dev"])]),
        .systemLibrary(name: "CLibDeflate", pkgConfig: "libdeflate", providers: [.apt(["libdeflate-dev"])]),

        // PNG writing without libpng: row filters, chunks, and the built-in run coder (one Huffman table per
        // image); libdeflate makes the CRCs and, when chosen, the zlib stream.
        .target(name: "CPNGWrite", dependencies: ["CLibDeflate"]),

        // SHA-256 block function on the x86 SHA extensions (portable Swift fallback in Support); SwiftPM's own
        // optimization level (no unsafe flags, so the package can be a dependency).
        .target(name: "CSHA256"),
        // Process set-up: allocator settings, CPU feature checks (and the start-up check of x86-64-v3 builds).
        .target(name: "CPlatform", cSettings: x86_64_v3 ? [.define("SYNTHBENCH_X86_64_V3", .when(configuration: .release))] : []),

        // Leaves.
        .target(name: "Support", dependencies: ["CLibPNG", "CPNGWrite", "CSHA256", "CPlatform"], swiftSettings: checked),
        .target(name: "Stats", dependencies: ["CGSL"], swiftSettings: checked),
        .target(name: "COCO", dependencies: ["Support"], swiftSettings: checked),
        // The one YAML front end (configs, rubrics, submissions): positions in errors, bounded size and nesting.
        .target(name: "YAMLInput", dependencies: ["Support", .product(name: "Yams", package: "Yams")], swiftSettings: checked),
        // The bench results document, read by Harness (which writes it) and Grading.
        .target(name: "BenchFormat", dependencies: ["Support"], swiftSettings: checked),

        // Generator stack.
        .target(name: "Randomization", dependencies: ["Support", "YAMLInput", .product(name: "Yams", package: "Yams")],
                swiftSettings: checked),
        // The dataset format: layout, manifest (one reader, one writer), declared distributions.
        .target(name: "DatasetFormat", dependencies: ["Support", "COCO", "Randomization"], swiftSettings: checked),
        .target(name: "Physics", dependencies: ["CODE"], swiftSettings: checked),
        .target(name: "Render", dependencies: ["Support"], swiftSettings: fast),
        .target(name: "Generator",
                dependencies: ["Support", "DatasetFormat", "Randomization", "Physics", "Render", "COCO"],
                swiftSettings: checked),

        // Readers of datasets and results.
        .target(name: "Audit", dependencies: ["DatasetFormat", "Randomization", "Stats", "Support", "COCO"], swiftSettings: checked),
        .target(name: "Harness", dependencies: ["BenchFormat", "Generator", "DatasetFormat", "Physics", "Stats", "Support"], swiftSettings: checked),
        .target(name: "Grading", dependencies: ["Audit", "BenchFormat", "COCO", "DatasetFormat", "Stats", "Support", "YAMLInput",
                                                .product(name: "Yams", package: "Yams")], swiftSettings: checked),

        .executableTarget(name: "synthbench",
                          dependencies: ["Generator", "DatasetFormat", "COCO", "Stats", "Randomization", "Support", "Audit", "BenchFormat", "Harness", "Grading",
                                         .product(name: "ArgumentParser", package: "swift-argument-parser")],
                          swiftSettings: checked),

        // Test doubles (a seeded simulated detector), used by test targets only.
        .target(name: "TestSupport", dependencies: ["COCO", "Support"], path: "Tests/TestSupport"),

        .testTarget(name: "SupportTests", dependencies: ["Support", "CLibDeflate"]),
        .testTarget(name: "RandomizationTests", dependencies: ["Randomization", "Support", "YAMLInput"]),
        .testTarget(name: "YAMLInputTests", dependencies: ["YAMLInput", "Support"]),
        .testTarget(name: "DatasetFormatTests", dependencies: ["DatasetFormat", "Randomization", "Support"]),
        .testTarget(name: "PhysicsTests", dependencies: ["Physics"]),
        .testTarget(name: "RenderTests", dependencies: ["Render"]),
        .testTarget(name: "COCOTests", dependencies: ["COCO", "Support"]),
        .testTarget(name: "StatsTests", dependencies: ["Stats", "TestSupport"]),
        .testTarget(name: "GeneratorTests", dependencies: ["Generator", "DatasetFormat", "Randomization", "Render", "COCO", "Support", "TestSupport"]),
        .testTarget(name: "AuditTests", dependencies: ["Audit", "COCO", "DatasetFormat", "Stats", "Randomization", "Generator", "Support", "TestSupport"]),
        .testTarget(name: "HarnessTests", dependencies: ["BenchFormat", "Harness", "Generator", "Stats", "Support", "TestSupport"]),
        .testTarget(name: "GradingTests", dependencies: ["Grading", "TestSupport", "Audit", "Generator", "Randomization", "COCO", "DatasetFormat", "Stats", "Support"]),
        .testTarget(name: "CLITests", dependencies: ["Support", "TestSupport"]),
    ],
    swiftLanguageModes: [.v5]
)

