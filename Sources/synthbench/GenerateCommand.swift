import ArgumentParser
import Foundation
import Generator
import Randomization

struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Generate a domain-randomized dataset: RGB, depth, instance masks, COCO, randomization log, manifest.")

    @Option(help: "Preset: none, light or full (default full unless --config is given).") var preset: String?
    @Option(help: "YAML config file (see docs/FORMATS.md).") var config: String?
    @Option(help: "Number of frames.") var frames: Int = 200
    @Option(help: "Episodes in flight at once.") var envs: Int = 8
    @Option(help: "Render threads (default: the number of cores).") var lanes: Int?
    @Option(help: "Random seed.") var seed: UInt64 = 0
    @Option(help: "Output directory.") var out: String
    @Option(help: ArgumentHelp("Generate shard i of n (1-based), e.g. 2/4; merge the shards with `synthbench merge`.",
                               discussion: "auto: from SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT (--array=1-N) or from JOB_COMPLETION_INDEX (0-based) with --shard-count or SYNTHBENCH_SHARD_COUNT."))
    var shard: String?
    @Option(help: "With --shard auto and JOB_COMPLETION_INDEX: the number of shards (else SYNTHBENCH_SHARD_COUNT).") var shardCount: Int?
    @Flag(help: "Continue an interrupted run in --out.") var resume = false
    @Flag(help: "Replace an existing dataset in --out.") var force = false
    @Flag(help: "Nothing on stdout (and no progress bar) unless --json.") var quiet = false
    @Flag(help: "Print the run's summary as one JSON object on stdout.") var json = false

    func validate() throws {
        if preset != nil && config != nil { throw ValidationError("--preset and --config: give one, not both") }
        if frames <= 0 { throw ValidationError("--frames: must be > 0 (got \(frames))") }
        if envs <= 0 { throw ValidationError("--envs: must be > 0 (got \(envs))") }
        if let lanes, lanes <= 0 { throw ValidationError("--lanes: must be > 0 (got \(lanes))") }
        if let shard { _ = try resolveShard(shard, count: shardCount, environment: ProcessInfo.processInfo.environment) }
        else if shardCount != nil { throw ValidationError("--shard-count: only with --shard auto") }
        if resume && force { throw ValidationError("--resume and --force: choose one") }
    }

    func run() throws {
        try runMapped {
            let resolved: GeneratorConfig
            if let config { resolved = try GeneratorConfig.load(path: config) }
            else { resolved = try GeneratorConfig.preset(preset ?? "full") }
            var options = GenerateOptions(config: resolved, frames: frames, envs: envs,
                                          lanes: lanes ?? ProcessInfo.processInfo.activeProcessorCount,
                                          seed: seed, output: out)
            if let shard { options.shard = try resolveShard(shard, count: shardCount, environment: ProcessInfo.processInfo.environment) }
            options.resume = resume
            options.force = force
            options.progress = !quiet
            let s = try Generator.run(options)
            if json { print(summaryJSON(s)); return }
            if quiet { return }
            if s.alreadyComplete {
                print("\(out): already complete (\(s.framesTotal) frames)")
                return
            }
            let stages = StageTimes.names.enumerated().map { i, n in
                String(format: "%@ %.2f", n, s.stages.values[i] / Double(max(s.framesWritten, 1)) * 1000)
            }.joined(separator: ", ")
            print(String(format: "%@: %d frames in %.2f s (%.0f frames/hour), %.1f MB, peak RSS %.1f MB%@",
                         out, s.framesWritten, s.seconds, s.framesPerHour, Double(s.bytes) / 1e6, Double(s.peakRSS) / 1e6,
                         s.resumedFrom.map { ", resumed at frame \($0)" } ?? ""))
            print("stage ms/frame (summed over lanes): \(stages)")
            let parts = StageTimes.partNames.enumerated().map { i, n in
                String(format: "%@ %.2f", n, s.stages.parts[i] / Double(max(s.framesWritten, 1)) * 1000)
            }.joined(separator: ", ")
            print("render and post parts ms/frame: \(parts)")
        }
    }
}

func parseShard(_ text: String) throws -> (index: Int, count: Int) {
    let parts = text.split(separator: "/")
    guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]), n >= 1, i >= 1, i <= n else {
        throw ValidationError("--shard: expected i/n with 1 <= i <= n (got '\(text)')")
    }
    return (i, n)
}

/// `--shard i/n`, or `--shard auto`: the shard from the scheduler's environment. Slurm job arrays submitted with
/// `--array=1-N` set SLURM_ARRAY_TASK_ID (1...N) and SLURM_ARRAY_TASK_COUNT (N); a Kubernetes Indexed Job sets
/// JOB_COMPLETION_INDEX (0...N-1) and the count comes from `--shard-count` or SYNTHBENCH_SHARD_COUNT.
/// Empty variables count as unset. Where both schedulers' variables are set they must name the same shard.
func resolveShard(_ text: String, count flag: Int?, environment env: [String: String]) throws -> (index: Int, count: Int) {
    guard text == "auto" else {
        if flag != nil { throw ValidationError("--shard-count: only with --shard auto (got --shard \(text))") }
        return try parseShard(text)
    }
    func value(_ name: String) -> String? {
        guard let v = env[name]?.trimmingCharacters(in: .whitespaces), !v.isEmpty else { return nil }
        return v
    }
    func integer(_ name: String) throws -> Int? {
        guard let v = value(name) else { return nil }
        guard let n = Int(v) else { throw ValidationError("--shard auto: \(name)='\(v)' is not an integer") }
        return n
    }
    var candidates: [(index: Int, count: Int, source: String)] = []
    if let id = try integer("SLURM_ARRAY_TASK_ID") {
        guard let n = try integer("SLURM_ARRAY_TASK_COUNT") else {
            throw ValidationError("--shard auto: SLURM_ARRAY_TASK_ID is set but SLURM_ARRAY_TASK_COUNT is not")
        }
        if let lo = try integer("SLURM_ARRAY_TASK_MIN"), lo != 1 {
            throw ValidationError("--shard auto: SLURM_ARRAY_TASK_MIN=\(lo); submit the array as --array=1-N (1-based shards)")
        }
        if let hi = try integer("SLURM_ARRAY_TASK_MAX"), hi != n {
            throw ValidationError("--shard auto: SLURM_ARRAY_TASK_MAX=\(hi) differs from SLURM_ARRAY_TASK_COUNT=\(n); submit the array as --array=1-N")
        }
        guard n >= 1, id >= 1, id <= n else {
            throw ValidationError("--shard auto: SLURM_ARRAY_TASK_ID=\(id) is outside 1...SLURM_ARRAY_TASK_COUNT=\(n)")
        }
        if let flag, flag != n {
            throw ValidationError("--shard-count \(flag) disagrees with SLURM_ARRAY_TASK_COUNT=\(n)")
        }
        if let c = try integer("SYNTHBENCH_SHARD_COUNT"), c != n {
            throw ValidationError("--shard auto: SYNTHBENCH_SHARD_COUNT=\(c) disagrees with SLURM_ARRAY_TASK_COUNT=\(n)")
        }
        candidates.append((id, n, "SLURM_ARRAY_TASK_ID=\(id)/SLURM_ARRAY_TASK_COUNT=\(n)"))
    } else if value("SLURM_ARRAY_TASK_COUNT") != nil {
        throw ValidationError("--shard auto: SLURM_ARRAY_TASK_COUNT is set but SLURM_ARRAY_TASK_ID is not")
    }
    if let k = try integer("JOB_COMPLETION_INDEX") {
        let fromEnv = try integer("SYNTHBENCH_SHARD_COUNT")
        if let flag, let fromEnv, flag != fromEnv {
            throw ValidationError("--shard-count \(flag) disagrees with SYNTHBENCH_SHARD_COUNT=\(fromEnv)")
        }
        guard let n = flag ?? fromEnv else {
            throw ValidationError("--shard auto: JOB_COMPLETION_INDEX is set; give the shard count with --shard-count or SYNTHBENCH_SHARD_COUNT")
        }
        guard n >= 1, k >= 0, k < n else {
            throw ValidationError("--shard auto: JOB_COMPLETION_INDEX=\(k) is outside 0...\(n - 1) (shard count \(n))")
        }
        candidates.append((k + 1, n, "JOB_COMPLETION_INDEX=\(k) (shard \(k + 1)/\(n))"))
    }
    guard let first = candidates.first else {
        throw ValidationError("--shard auto: neither SLURM_ARRAY_TASK_ID (Slurm job array) nor JOB_COMPLETION_INDEX (Kubernetes Indexed Job) is set")
    }
    if let other = candidates.dropFirst().first, other.index != first.index || other.count != first.count {
        throw ValidationError("--shard auto: \(first.source) and \(other.source) disagree")
    }
    return (first.index, first.count)
}
