import ArgumentParser
import Foundation
import Generator

struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Generate a domain-randomized dataset: RGB, depth, instance masks, COCO, randomization log, manifest.")

    @OptionGroup var generation: GenerationOptions
    @Option(help: "Number of frames.") var frames: Int = 200
    @Option(help: "Episodes in flight at once.") var envs: Int = 8
    @Option(help: "Render threads (default: the number of cores).") var lanes: Int?
    @Option(help: "Output directory.") var out: String
    @Option(help: ArgumentHelp("Generate shard i of n (1-based), e.g. 2/4; merge the shards with `synthbench merge`.",
                               discussion: "auto: from SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT (--array=1-N) or from JOB_COMPLETION_INDEX (0-based) with --shard-count or SYNTHBENCH_SHARD_COUNT."))
    var shard: ShardArgument?
    @Option(help: "With --shard auto and JOB_COMPLETION_INDEX: the number of shards (else SYNTHBENCH_SHARD_COUNT).") var shardCount: Int?
    @Flag(help: "Continue an interrupted run in --out.") var resume = false
    @Flag(help: "Replace an existing dataset in --out.") var force = false
    @Flag(help: "Nothing on stdout (and no progress bar) unless --json.") var quiet = false
    @Flag(help: "Print the run's summary as one JSON object on stdout.") var json = false

    func validate() throws {
        if frames <= 0 { throw ValidationError("--frames: must be > 0 (got \(frames))") }
        if envs <= 0 { throw ValidationError("--envs: must be > 0 (got \(envs))") }
        if let lanes, lanes <= 0 { throw ValidationError("--lanes: must be > 0 (got \(lanes))") }
        if let shard { _ = try shard.resolve(count: shardCount, environment: ProcessInfo.processInfo.environment) }
        else if shardCount != nil { throw ValidationError("--shard-count: only with --shard auto") }
        if resume && force { throw ValidationError("--resume and --force: choose one") }
    }

    func run() throws {
        try runMapped {
            var options = GenerateOptions(config: try generation.load(), frames: frames, envs: envs,
                                          lanes: lanes ?? ProcessInfo.processInfo.activeProcessorCount,
                                          seed: generation.seed, output: out)
            if let shard { options.shard = try shard.resolve(count: shardCount, environment: ProcessInfo.processInfo.environment) }
            options.resume = resume
            options.force = force
            options.progress = !quiet
            let summary = try Generator.run(options)
            if json { print(summary.json(out: out)) }
            else if !quiet { print(summary.text(out: out), terminator: "") }
        }
    }
}
