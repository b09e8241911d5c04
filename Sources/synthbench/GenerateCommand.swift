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
    @Option(help: "Generate shard i of n (1-based), e.g. 2/4; merge the shards with `synthbench merge`.") var shard: String?
    @Flag(help: "Continue an interrupted run in --out.") var resume = false
    @Flag(help: "Replace an existing dataset in --out.") var force = false
    @Flag(help: "Nothing on stdout (and no progress bar) unless --json.") var quiet = false
    @Flag(help: "Print the run's summary as one JSON object on stdout.") var json = false

    func validate() throws {
        if preset != nil && config != nil { throw ValidationError("--preset and --config: give one, not both") }
        if frames <= 0 { throw ValidationError("--frames: must be > 0 (got \(frames))") }
        if envs <= 0 { throw ValidationError("--envs: must be > 0 (got \(envs))") }
        if let lanes, lanes <= 0 { throw ValidationError("--lanes: must be > 0 (got \(lanes))") }
        if let shard { _ = try parseShard(shard) }
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
            if let shard { options.shard = try parseShard(shard) }
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
