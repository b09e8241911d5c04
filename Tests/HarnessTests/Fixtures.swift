import Foundation
import BenchFormat
@testable import Harness
import Support

/// Synthetic bench results: a generator and an encode ceiling with known speeds, multiplicative noise from a
/// seeded generator, so every gate decision below replays exactly.
enum Fixture {
    static let machine = Machine(cpuModel: "Test CPU @ 3.0GHz", cores: 2, memoryBytes: 8 << 30, arch: "x86_64",
                                 os: "Test OS 1", kernel: "Linux 6.0", hostname: "test", swiftVersion: "Swift version 6.3",
                                 compiler: "Swift 6.3", libpng: "1.6.39", gsl: "2.7.1", ode: "0.16.2")
    static let otherMachine = Machine(cpuModel: "Other CPU", cores: 16, memoryBytes: 64 << 30, arch: "x86_64",
                                      os: "Test OS 1", kernel: "Linux 6.0", hostname: "other", swiftVersion: "unknown",
                                      compiler: "Swift 6.3", libpng: "1.6.39", gsl: "2.7.1", ode: "0.16.2")

    struct Spec {
        var repeats = 8
        /// Relative noise: each sample is multiplied by a uniform factor in [1 − noise, 1 + noise].
        var noise = 0.02
        /// Generator speed factor (the ratio scales with it).
        var generator = 1.0
        /// Machine speed factor: generator and ceiling alike (ratios unchanged).
        var machineSpeed = 1.0
        var bytesPerEnv = 200_000.0
        var memoryRepeats = 8
        var seed: UInt64 = 1
        var machine = Fixture.machine
        var configHash = String(repeating: "ab", count: 32)
        var envs = [1, 8]
        var lanes = [1, 2]
        var frames = 96
    }

    /// Generator frames/s per lanes (1 lane 30, 2 lanes 55) and ceiling frames/s (100, 195).
    static func result(_ s: Spec = Spec()) throws -> BenchResult {
        var rng = CounterRNG(key: CounterRNG.key([s.seed, 77]))
        func jitter() -> Double { 1 + s.noise * (2 * rng.unit() - 1) }
        var fps: [BenchResult.CellKey: [Double]] = [:], ceiling: [BenchResult.CellKey: [Double]] = [:]
        var stages: [BenchResult.CellKey: [[Double]]] = [:], bytes: [BenchResult.CellKey: [Double]] = [:]
        for l in s.lanes {
            for e in s.envs {
                let k = BenchResult.CellKey(envs: e, lanes: l)
                let g = (l == 1 ? 30.0 : 27.5 * Double(l)) * s.generator * s.machineSpeed
                let c = (l == 1 ? 100.0 : 97.5 * Double(l)) * s.machineSpeed
                for _ in 0..<s.repeats {
                    fps[k, default: []].append(g * jitter())
                    ceiling[k, default: []].append(c * jitter())
                    stages[k, default: []].append([0.02, 0.35, 9.5, 9.6, 9.8, 1.5, 0.7, 0.3])
                    bytes[k, default: []].append(510_000)
                }
            }
        }
        let memEnvs = [1, 8, 64]
        let rss = memEnvs.map { e in (0..<s.memoryRepeats).map { _ in 40e6 + s.bytesPerEnv * Double(e) + 50_000 * (2 * rng.unit() - 1) } }
        var m = Bench.Measurements(fps: fps, ceiling: ceiling, stages: stages, bytes: bytes, rss: rss)
        m.cores = fps.mapValues { $0.map { _ in 1.9 } }
        m.memoryEnvs = memEnvs
        m.memoryFrames = memEnvs.map { $0 * 8 }
        m.memoryLanes = s.lanes.max()!
        m.reported = rss.map { $0.map { $0 - 1_000_000 } }
        m.spawnerPeak = 12_000_000
        let run = BenchResult.RunInfo(gitCommit: "0123456789abcdef0123456789abcdef01234567", gitDirty: false,
                                      configHash: s.configHash, configSource: "preset full", preset: "full",
                                      imageWidth: 640, imageHeight: 480, framesPerEpisode: 8, seed: 0, frames: s.frames,
                                      repeats: s.repeats, warmupFrames: 32, envs: s.envs, lanes: s.lanes, build: "release",
                                      seconds: 100, loadAverage: [0.5, 0.7])
        return try Bench.assemble(m, run: run, machine: s.machine, target: "fixture", toolVersion: "0.1.0",
                                  ceilingFrames: 40, ceilingPasses: 2)
    }

    /// A JSON object of a result, for editing in malformed-input tests.
    static func object(_ r: BenchResult) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(try r.json().utf8)) as! [String: Any]
    }

    static func data(_ object: Any) throws -> Data { try JSONSerialization.data(withJSONObject: object) }

    /// The repository root (for committed results).
    static var root: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    }

    static func tempPath(_ tag: String) -> String {
        NSTemporaryDirectory() + "synthbench-harness-\(tag)-\(UUID().uuidString.prefix(8))"
    }
}
