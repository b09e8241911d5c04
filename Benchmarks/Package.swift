// swift-tools-version: 6.1
import PackageDescription

import struct Foundation.URL

/// SwiftPM names a path dependency after its directory, so the main package's name is that of the checkout.
let synthBench = URL(fileURLWithPath: Context.packageDirectory).deletingLastPathComponent().lastPathComponent

/// Microbenchmarks of SynthBench's hot paths (ordo-one/benchmark), kept out of the main package so that its
/// build and tests never fetch or compile the benchmark tooling. Run and check them with
/// `scripts/check-benchmarks.sh` from the repository root; the p90 thresholds live in `Thresholds/`.
let package = Package(
    name: "SynthBenchBenchmarks",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(path: ".."),
        // Only the malloc interposer trait (allocation counts); no runtime interposer, no jemalloc to install.
        .package(url: "https://github.com/ordo-one/benchmark", exact: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "SynthBench",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "COCO", package: synthBench),
                .product(name: "Generator", package: synthBench),
                .product(name: "Randomization", package: synthBench),
                .product(name: "Render", package: synthBench),
                .product(name: "Stats", package: synthBench),
                .product(name: "Support", package: synthBench),
            ],
            path: "Benchmarks/SynthBench",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ],
    swiftLanguageModes: [.v5]
)
