import ArgumentParser
import Foundation
import Generator
import Harness
import Randomization
import Support

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure generation: frames/hour per envs × lanes, stage breakdown, memory per environment, lane scaling, encode ceiling.",
        discussion: """
        Runs the real generator (the code path of `generate`, real files in a scratch directory) for every \
        --envs × --lanes cell, --repeat times after a warm-up, and measures the encode ceiling (the fastest encoders we ship) on each \
        run's own frames right after it, with as many threads as lanes: the generator's speed as a ratio of \
        that ceiling is what stays comparable across machines. Peak RSS is measured per --memory-envs value in \
        child processes (this binary running `generate`) and fitted with a line. The summary goes to stdout, the \
        results JSON (docs/FORMATS.md) to --out, written only when the whole bench succeeded. Build with \
        `-c release` for figures that mean anything.
        """)

    @OptionGroup var generation: GenerationOptions
    @Option(help: "Frames per run (default: whole episodes for the largest --envs to be in flight, at least 200).") var frames: Int?
    @Option(help: "Environment counts, comma-separated.") var envs = CountList([1, 8, 64])
    @Option(help: "Lane counts, comma-separated (default: 1, 2, 4, … up to the number of cores).") var lanes: CountList?
    @Option(name: .customLong("repeat"), help: "Repeats of every cell (the gate needs 6 or more at --alpha 0.002).") var repeats: Int = 8
    @Option(help: "Frames of the discarded warm-up run (default: min(frames, 4 episodes)).") var warmup: Int?
    @Option(help: "Environment counts of the memory probe, comma-separated, or 'none' (default: --envs).") var memoryEnvs: ProbeCounts?
    @Option(help: "Repeats of the memory probe (default: --repeat).") var memoryRepeat: Int?
    @Option(help: "Frames of each encode-ceiling measurement.") var ceilingFrames: Int = 40
    @Option(help: "Passes of each encode-ceiling figure over its frames, at least (more, up to 100, until it has run half a second).") var ceilingPasses: Int = 2
    @Option(help: "Name of this hardware target (default: the host name).") var target: String?
    @Option(help: "Directory for the scratch datasets (default: $TMPDIR or /tmp).") var scratch: String?
    @Option(help: "Results JSON file.") var out: String
    @Flag(help: "Exit 1 when an objective (100K frames/hour, Lab 2, Exercise 1 disk) fails.") var checkObjectives = false
    @Flag(help: "No progress bar or phase messages.") var quiet = false

    func validate() throws {
        if let frames, frames <= 0 { throw ValidationError("--frames: must be > 0 (got \(frames))") }
        if repeats <= 0 { throw ValidationError("--repeat: must be > 0 (got \(repeats))") }
        if let memoryRepeat, memoryRepeat <= 0 { throw ValidationError("--memory-repeat: must be > 0 (got \(memoryRepeat))") }
        if let warmup, warmup <= 0 { throw ValidationError("--warmup: must be > 0 (got \(warmup))") }
        if ceilingFrames <= 0 { throw ValidationError("--ceiling-frames: must be > 0") }
        if ceilingPasses <= 0 { throw ValidationError("--ceiling-passes: must be > 0") }
        if case let .counts(m) = memoryEnvs, m.values.count < 2 {
            throw ValidationError("--memory-envs: a line needs at least two distinct values (or 'none')")
        }
        let directory = (out as NSString).deletingLastPathComponent
        let dir = directory.isEmpty ? "." : directory
        if !FileIO.isDirectory(dir) { throw ValidationError("--out \(out): directory \(dir) does not exist") }
        if access(dir, W_OK) != 0 { throw ValidationError("--out \(out): directory \(dir) is not writable") }
        if FileIO.isDirectory(out) { throw ValidationError("--out \(out): is a directory; give a file name") }
    }

    func run() throws {
        try runMapped {
            let resolved = try generation.load()
            let source: Bench.ConfigSource = generation.config.map { .file($0) } ?? .preset(generation.preset ?? "full")
            let envList = envs.values
            let laneList = (lanes ?? CountList.powersOfTwo(upTo: ProcessInfo.processInfo.activeProcessorCount)).values
            let memoryList: [Int]
            switch memoryEnvs {
            case .off?: memoryList = []
            case let .counts(m)?: memoryList = m.values
            case nil: memoryList = envList
            }
            let frameCount = frames ?? max(200, envList.max()! * resolved.framesPerEpisode)
            let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
            let host = ProcessInfo.processInfo.hostName
            var options = Bench.Options(
                template: GenerateOptions(config: resolved, frames: frameCount, envs: 1, lanes: 1, seed: generation.seed, output: ""),
                source: source, frames: frameCount, envs: envList, lanes: laneList, repeats: repeats,
                memoryEnvs: memoryList.count >= 2 ? memoryList : [], memoryRepeats: memoryRepeat ?? repeats,
                target: target ?? (host.isEmpty ? "local" : host),
                scratchParent: scratch ?? (ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp"), executable: executable)
            options.warmupFrames = warmup
            options.ceilingFrames = ceilingFrames
            options.ceilingPasses = ceilingPasses
            options.progress = !quiet
            options.toolVersion = SynthBench.configuration.version
            if Bench.buildConfiguration != "release" && !quiet {
                printError("warning: this is a \(Bench.buildConfiguration) build; build with -c release for meaningful figures")
            }
            let interactive = isatty(2) == 1
            let result = try Bench.run(options) { line in
                if !quiet && !interactive { printError("bench: " + line) }
            }
            try result.write(to: out)
            print(result.summaryText())
            print("results: \(out)")
            if checkObjectives && result.extrapolations.objectives.contains(where: { !$0.pass }) { throw ExitCode(1) }
        }
    }
}
