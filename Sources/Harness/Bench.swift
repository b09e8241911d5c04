import BenchFormat
import Foundation
import DatasetFormat
import Generator
import Stats
import Support
#if canImport(Glibc)
import Glibc
#endif

/// `synthbench bench`: the real generator (`Generator.run`, the code path of `generate`, real files in a
/// scratch directory) over a grid of envs × lanes cells, each repeated; the encode ceiling on each run's own
/// frames right after it; peak RSS per environment count in child processes.
public enum Bench {
    /// Where the generator config comes from; children of the memory probe get the same flags.
    public enum ConfigSource: Equatable, Sendable {
        case preset(String)
        case file(String)

        var arguments: [String] {
            switch self {
            case .preset(let name): return ["--preset", name]
            case .file(let path): return ["--config", path]
            }
        }

        var text: String {
            switch self {
            case .preset(let name): return "preset \(name)"
            case .file(let path): return path
            }
        }
    }

    public struct Options {
        /// Config and seed of every run (frames, envs, lanes and output are set per run).
        public var template: GenerateOptions
        public var source: ConfigSource
        /// Frames per generate run.
        public var frames: Int
        public var envs: [Int]
        public var lanes: [Int]
        public var repeats: Int
        /// Frames of the discarded warm-up run (nil: min(frames, 4 episodes)).
        public var warmupFrames: Int?
        /// Environment counts of the memory probe; empty skips it.
        public var memoryEnvs: [Int]
        public var memoryRepeats: Int
        /// Frames of each encode-ceiling measurement (at most `frames`) and passes over them.
        public var ceilingFrames = 40
        public var ceilingPasses = 2
        public var target: String
        /// Directory in which the bench makes (and afterwards removes) its scratch directory.
        public var scratchParent: String
        /// The synthbench binary that the memory probe runs (`generate`).
        public var executable: String
        public var progress = true
        public var toolVersion = "unknown"

        public init(template: GenerateOptions, source: ConfigSource, frames: Int, envs: [Int], lanes: [Int], repeats: Int,
                    memoryEnvs: [Int], memoryRepeats: Int, target: String, scratchParent: String, executable: String) {
            self.template = template; self.source = source; self.frames = frames; self.envs = envs; self.lanes = lanes
            self.repeats = repeats; self.memoryEnvs = memoryEnvs; self.memoryRepeats = memoryRepeats; self.target = target
            self.scratchParent = scratchParent; self.executable = executable
        }
    }

    public enum BenchError: Error, CustomStringConvertible {
        case usage(String, String)
        case failed(String)
        public var description: String {
            switch self {
            case .usage(let flag, let what): return "\(flag): \(what)"
            case .failed(let what): return what
            }
        }
    }

    #if DEBUG
    public static let buildConfiguration = "debug"
    #else
    public static let buildConfiguration = "release"
    #endif

    static func check(_ o: Options) throws {
        if o.frames <= 0 { throw BenchError.usage("--frames", "must be > 0 (got \(o.frames))") }
        if o.repeats <= 0 { throw BenchError.usage("--repeat", "must be > 0 (got \(o.repeats))") }
        if o.envs.isEmpty || o.envs.contains(where: { $0 <= 0 }) { throw BenchError.usage("--envs", "expected positive counts") }
        if o.lanes.isEmpty || o.lanes.contains(where: { $0 <= 0 }) { throw BenchError.usage("--lanes", "expected positive counts") }
        if Set(o.envs).count != o.envs.count { throw BenchError.usage("--envs", "values repeat") }
        if Set(o.lanes).count != o.lanes.count { throw BenchError.usage("--lanes", "values repeat") }
        if o.memoryEnvs.contains(where: { $0 <= 0 }) { throw BenchError.usage("--memory-envs", "expected positive counts") }
        if !o.memoryEnvs.isEmpty && Set(o.memoryEnvs).count < 2 {
            throw BenchError.usage("--memory-envs", "a line needs at least two distinct values (or 'none')")
        }
        if o.memoryRepeats <= 0 { throw BenchError.usage("--memory-repeat", "must be > 0") }
        if o.ceilingFrames <= 0 || o.ceilingPasses <= 0 { throw BenchError.usage("--ceiling-frames", "must be > 0") }
        if !o.memoryEnvs.isEmpty && access(o.executable, X_OK) != 0 {
            throw BenchError.usage("memory probe", "\(o.executable) is not an executable")
        }
    }

    /// Frames a memory probe with `envs` environments generates: whole episodes, enough for all of them to be in
    /// flight at once, and at least two episodes per lane so that every lane is busy at every envs value (a lane
    /// holds its frame buffers: with fewer frames than lanes the slope over envs would count lanes, not envs).
    static func probeFrames(envs: Int, lanes: Int, framesPerEpisode: Int) -> Int {
        max(envs, 2 * lanes) * framesPerEpisode
    }

    /// Runs the bench. `log` receives one line per phase. Throws on any failure; nothing is written by this
    /// function except in its scratch directory, which it removes.
    public static func run(_ o: Options, log: (String) -> Void = { _ in }) throws -> BenchResult {
        try check(o)
        let started = Bench.clock()
        let loadAtStart = loadAverage()
        let config = o.template.config
        let fpe = config.framesPerEpisode
        let envs = o.envs.sorted(), lanes = o.lanes.sorted()
        let keys = lanes.flatMap { l in envs.map { BenchResult.CellKey(envs: $0, lanes: l) } }
        let warmup = o.warmupFrames ?? min(o.frames, 4 * fpe)
        let ceilingFrames = min(o.ceilingFrames, o.frames)
        let memoryLanes = lanes.last!
        let memoryEnvs = o.memoryEnvs.sorted()

        guard FileIO.isDirectory(o.scratchParent) else {
            throw BenchError.usage("--scratch", "\(o.scratchParent) is not a directory")
        }
        var template = Array((o.scratchParent + "/synthbench-bench-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else {
            throw FileIOError(.create, path: o.scratchParent + "/synthbench-bench-XXXXXX", errno: errno)
        }
        let scratch = String(cString: made)
        defer { try? FileIO.remove(scratch) }
        log("scratch directory \(scratch)")

        let total = warmup + keys.count * o.repeats * o.frames
            + o.memoryRepeats * memoryEnvs.reduce(0) { $0 + probeFrames(envs: $1, lanes: lanes.last!, framesPerEpisode: fpe) }
        let bar = ProgressBar(total: total, label: "bench", enabled: o.progress)
        var done = 0
        var lastCoresUsed = 0.0

        // Each run (memory probes included) writes a new directory, kept until the bench ends (the oldest go
        // first when space runs short), and the page cache is written back before each run starts. Deleting
        // between runs would make file creation slow: ext4 without a journal skips inodes freed in the last
        // minutes. Not writing back would let one run's gigabytes of dirty pages throttle the next run's writes
        // to the disk's speed.
        var runCount = 0
        var runDirectory = scratch + "/run-0"
        var kept: [String] = []
        func newRunDirectory(frames: Int) -> String {
            if FileIO.exists(runDirectory) { kept.append(runDirectory) }
            while let oldest = kept.first, Bench.freeBytes(scratch) < config.width * config.height * 7 * frames + (64 << 20) {
                try? FileIO.remove(oldest)
                kept.removeFirst()
            }
            sync()
            runCount += 1
            runDirectory = scratch + "/run-\(runCount)"
            return runDirectory
        }
        func generate(frames: Int, envs: Int, lanes: Int) throws -> GenerateSummary {
            _ = newRunDirectory(frames: frames)
            var g = o.template
            g.frames = frames; g.envs = envs; g.lanes = lanes
            g.output = runDirectory
            g.force = false; g.resume = false; g.progress = false
            let base = done
            let cpu0 = cpuSeconds(), wall0 = Bench.clock()
            let s = try Generator.run(g) { n in bar.update(base + n) }
            lastCoresUsed = (cpuSeconds() - cpu0) / max(Bench.clock() - wall0, 1e-9)
            done = base + frames
            bar.update(done)
            return s
        }

        // Space for the largest run, at the raw pixel size (compressed frames are smaller).
        let rawFrame = config.width * config.height * 7
        let largest = max(o.frames, memoryEnvs.map { probeFrames(envs: $0, lanes: lanes.last!, framesPerEpisode: fpe) }.max() ?? 0)
        try requireSpace(scratch, bytes: rawFrame * largest + (16 << 20))

        // Memory first (a failing child ends the bench before the long part): one child per envs value and repeat.
        var rss: [[Double]] = Array(repeating: [], count: memoryEnvs.count)
        var reported: [[Double]] = Array(repeating: [], count: memoryEnvs.count)
        let spawnerPeak = peakResidentBytes()
        var probeFramesList: [Int] = []
        for e in memoryEnvs { probeFramesList.append(probeFrames(envs: e, lanes: memoryLanes, framesPerEpisode: fpe)) }
        for r in 0..<o.memoryRepeats {
            for (i, e) in memoryEnvs.enumerated() {
                log("memory probe \(r + 1)/\(o.memoryRepeats): envs \(e), \(probeFramesList[i]) frames")
                let dir = newRunDirectory(frames: probeFramesList[i])
                let args = ["generate"] + o.source.arguments + [
                    "--frames", String(probeFramesList[i]), "--envs", String(e), "--lanes", String(memoryLanes),
                    "--seed", String(o.template.seed), "--out", dir, "--quiet"]
                let bytes = try MemoryProbe.peakRSS(executable: o.executable, arguments: args, log: scratch + "/probe.log",
                                                    what: "memory probe (generate --envs \(e))")
                rss[i].append(Double(bytes))
                reported[i].append(Double(reportedPeak(dataset: dir) ?? 0))
                done += probeFramesList[i]
                bar.update(done)
            }
        }
        if probeFramesList.reduce(0, +) * o.memoryRepeats >= 1000 {
            // The throughput runs must not create files among thousands of inodes freed a moment ago (ext4 without
            // a journal skips inodes freed in the last minute once they are written back): remove the probes'
            // datasets, write back, and let that minute pass.
            for dir in kept + [runDirectory] { try? FileIO.remove(dir) }
            kept.removeAll()
            sync()
            log("memory probes done; waiting 65 s before the throughput runs")
            Thread.sleep(forTimeInterval: 65)
        }

        // Warm-up (discarded): page cache, allocator, lazily bound symbols.
        log("warm-up: \(warmup) frames")
        _ = try generate(frames: warmup, envs: envs.last!, lanes: lanes.last!)

        // Throughput: every cell once per repeat (alternating order), each followed by the encode ceiling on
        // that run's frames with as many threads as lanes.
        var fps: [BenchResult.CellKey: [Double]] = [:]
        var ceiling: [BenchResult.CellKey: [Double]] = [:]
        var stageSamples: [BenchResult.CellKey: [[Double]]] = [:]
        var bytes: [BenchResult.CellKey: [Double]] = [:]
        var cores: [BenchResult.CellKey: [Double]] = [:]
        var ownCeiling: [BenchResult.CellKey: [Double]] = [:], format1Ceiling: [BenchResult.CellKey: [Double]] = [:]
        var libraryCeiling: [BenchResult.CellKey: [Double]] = [:]
        var choice: EncodeCeiling.Choice?   // made on the first run's frames, then kept (one setting per kind)
        for r in 0..<o.repeats {
            log("repeat \(r + 1)/\(o.repeats)")
            for key in (r % 2 == 0 ? keys : keys.reversed()) {
                let s = try generate(frames: o.frames, envs: key.envs, lanes: key.lanes)
                guard s.framesWritten == o.frames, s.seconds > 0 else {
                    throw BenchError.failed("generate (\(key)) wrote \(s.framesWritten) of \(o.frames) frames")
                }
                let c = try EncodeCeiling.measure(directory: runDirectory, lanes: key.lanes, maxFrames: ceilingFrames,
                                                  passes: o.ceilingPasses, choice: choice)
                choice = c.choice
                fps[key, default: []].append((Double(s.framesWritten) / s.seconds).significant(7))
                ceiling[key, default: []].append(c.framesPerSecond.significant(7))
                ownCeiling[key, default: []].append(c.generatorSettingsFramesPerSecond.significant(7))
                format1Ceiling[key, default: []].append(c.libpngFormat1FramesPerSecond.significant(7))
                libraryCeiling[key, default: []].append(c.libraryFramesPerSecond.significant(7))
                stageSamples[key, default: []].append(s.stages.values.map { $0 / Double(s.framesWritten) * 1000 })
                bytes[key, default: []].append(Double(s.bytes) / Double(s.framesWritten))
                cores[key, default: []].append(lastCoresUsed.significant(4))
            }
        }
        bar.finish()

        var measurements = Measurements(fps: fps, ceiling: ceiling, stages: stageSamples, bytes: bytes, rss: rss)
        measurements.cores = cores
        measurements.ownCeiling = ownCeiling
        measurements.format1Ceiling = format1Ceiling
        measurements.libraryCeiling = libraryCeiling
        measurements.ceilingChoice = choice
        measurements.memoryEnvs = memoryEnvs
        measurements.memoryFrames = probeFramesList
        measurements.memoryLanes = memoryLanes
        measurements.reported = reported
        measurements.spawnerPeak = spawnerPeak
        let revision = SourceRevision.current()
        let info = BenchResult.RunInfo(
            gitCommit: revision?.commit, gitDirty: revision?.dirty, configHash: config.hash, configSource: o.source.text,
            preset: config.preset, imageWidth: config.width, imageHeight: config.height, framesPerEpisode: fpe,
            seed: o.template.seed, frames: o.frames, repeats: o.repeats, warmupFrames: warmup, envs: envs, lanes: lanes,
            build: buildConfiguration, seconds: (Bench.clock() - started).rounded(toPlaces: 3),
            loadAverage: [loadAtStart, loadAverage()].map { $0.rounded(toPlaces: 2) })
        return try assemble(measurements, run: info, machine: Machine.current(), target: o.target, toolVersion: o.toolVersion,
                            ceilingFrames: ceilingFrames, ceilingPasses: o.ceilingPasses)
    }

    /// Fails early when the scratch file system cannot hold the largest run.
    /// Bytes available to this user on the filesystem holding `path` (Int.max when unknown).
    static func freeBytes(_ path: String) -> Int {
        var s = statvfs()
        guard statvfs(path, &s) == 0 else { return Int.max }
        return Int(s.f_bavail) * Int(s.f_frsize)
    }

    static func requireSpace(_ path: String, bytes: Int) throws {
        let free = freeBytes(path)
        if free < bytes {
            throw BenchError.failed(String(format: "%@: %.1f MB free, the bench needs about %.1f MB (choose another --scratch)",
                                           path, Double(free) / 1e6, Double(bytes) / 1e6))
        }
    }

    /// Raw per-repeat measurements, keyed by cell.
    struct Measurements {
        var fps: [BenchResult.CellKey: [Double]]
        var ceiling: [BenchResult.CellKey: [Double]]
        /// Per repeat: milliseconds per frame of each stage (StageTimes.names order), summed over lanes.
        var stages: [BenchResult.CellKey: [[Double]]]
        var bytes: [BenchResult.CellKey: [Double]]
        /// Peak RSS samples per memory envs value.
        var rss: [[Double]]
        /// Per repeat: CPU seconds ÷ wall seconds of this process during the generate run.
        var cores: [BenchResult.CellKey: [Double]] = [:]
        /// Per repeat: the ceiling's frames with the generator's settings, and with libpng at format 1's settings.
        var ownCeiling: [BenchResult.CellKey: [Double]] = [:]
        var format1Ceiling: [BenchResult.CellKey: [Double]] = [:]
        /// Per repeat: the best of the libraries alone (libpng, libdeflate).
        var libraryCeiling: [BenchResult.CellKey: [Double]] = [:]
        var ceilingChoice: EncodeCeiling.Choice?
        var memoryEnvs: [Int] = []
        var memoryFrames: [Int] = []
        var memoryLanes = 1
        /// The probes' own VmHWM from their manifests, per memory envs value.
        var reported: [[Double]] = []
        var spawnerPeak = 0
    }

    /// `run.peak_rss_bytes` of a dataset's manifest.
    static func reportedPeak(dataset: String) -> Int? {
        guard let doc = try? ManifestDocument.read(path: DatasetLayout.path(DatasetLayout.manifest, in: dataset)) else { return nil }
        return ManifestDocument.integer(doc["run"]?["peak_rss_bytes"])
    }

    /// Turns measurements into the results document (pure; unit-tested on synthetic measurements).
    static func assemble(_ m: Measurements, run: BenchResult.RunInfo, machine: Machine, target: String, toolVersion: String,
                         ceilingFrames: Int, ceilingPasses: Int) throws -> BenchResult {
        let names = StageTimes.names
        let keys = run.lanes.flatMap { l in run.envs.map { BenchResult.CellKey(envs: $0, lanes: l) } }
        let episodes = (run.frames + run.framesPerEpisode - 1) / run.framesPerEpisode
        var cells: [BenchResult.Cell] = []
        for key in keys {
            let f = m.fps[key] ?? [], c = m.ceiling[key] ?? []
            let ratios = zip(f, c).map { $0 / $1 }
            var stageMedians: [String: Double] = [:]
            for (i, n) in names.enumerated() {
                stageMedians[n] = Stats.median((m.stages[key] ?? []).map { $0[i] }).rounded(toPlaces: 4)
            }
            let fpsSummary = Summary(samples: f)
            cells.append(BenchResult.Cell(
                envs: key.envs, lanes: key.lanes, effectiveEnvs: min(key.envs, episodes),
                framesPerHour: Summary(samples: f.map { ($0 * 3600).significant(7) }), framesPerSecond: fpsSummary,
                ceilingFramesPerSecond: Summary(samples: c), ratio: Summary(samples: ratios.map { $0.significant(7) }),
                stageMsPerFrame: stageMedians, wallMsPerFrame: (1000 / fpsSummary.median).rounded(toPlaces: 4),
                bytesPerFrame: Stats.median(m.bytes[key] ?? []).rounded(),
                coresUsed: m.cores[key].map { Summary(samples: $0) }))
        }
        let refKey = BenchResult.CellKey(envs: run.envs.max()!, lanes: run.lanes.max()!)
        let ref = cells.first { $0.key == refKey }!
        let total = names.reduce(0) { $0 + (ref.stageMsPerFrame[$1] ?? 0) }
        let stages = BenchResult.Stages(
            names: names, msPerFrame: ref.stageMsPerFrame,
            share: Dictionary(uniqueKeysWithValues: names.map { ($0, total > 0 ? ((ref.stageMsPerFrame[$0] ?? 0) / total).rounded(toPlaces: 4) : 0) }),
            wallMsPerFrame: ref.wallMsPerFrame)

        // Memory: a line through every (envs, peak RSS) point; one slope per repeat for the gate.
        var memory: BenchResult.Memory? = nil
        if m.memoryEnvs.count >= 2, let repeats = m.rss.first?.count, repeats > 0 {
            var xs: [Double] = [], ys: [Double] = []
            for (i, e) in m.memoryEnvs.enumerated() { for y in m.rss[i] { xs.append(Double(e)); ys.append(y) } }
            let fit = try Stats.LinearFit(x: xs, y: ys)
            let slopes = try (0..<repeats).map { r in
                try Stats.LinearFit(x: m.memoryEnvs.map(Double.init), y: m.rss.map { $0[r] }).slope.rounded()
            }
            let floor = ys.min() ?? 0
            memory = BenchResult.Memory(envs: m.memoryEnvs, lanes: m.memoryLanes, frames: m.memoryFrames,
                                        peakRSSBytes: m.rss.map { Summary(samples: $0) }, bytesPerEnv: fit.slope.rounded(),
                                        fixedBytes: fit.intercept.rounded(), r2: fit.r2.map { $0.rounded(toPlaces: 6) },
                                        bytesPerEnvSamples: slopes,
                                        childReportedPeakRSSBytes: m.reported.map { Summary(samples: $0) },
                                        spawnerPeakRSSBytes: m.spawnerPeak,
                                        warning: floor <= Double(m.spawnerPeak)
                                            ? "a probe's ru_maxrss (\(Int(floor))) did not exceed the spawner's peak RSS (\(m.spawnerPeak)): "
                                              + "it may be the spawner's; compare child_reported_peak_rss_bytes" : nil)
        }

        // Lane scaling at the reference envs, each repeat against the same repeat's base-lane run.
        var scaling: BenchResult.LaneScaling? = nil
        let lanes = run.lanes.sorted()
        if lanes.count >= 2 {
            let e = refKey.envs, base = lanes[0]
            let baseKey = BenchResult.CellKey(envs: e, lanes: base)
            var s = BenchResult.LaneScaling(envs: e, baseLanes: base, lanes: lanes, speedup: [], efficiency: [], efficiencySamples: [],
                                            ceilingSpeedup: [], ceilingEfficiency: [], relativeEfficiency: [],
                                            relativeEfficiencySamples: [])
            for l in lanes {
                let key = BenchResult.CellKey(envs: e, lanes: l)
                let scale = Double(l) / Double(base)
                let sp = zip(m.fps[key] ?? [], m.fps[baseKey] ?? []).map { $0 / $1 }
                let csp = zip(m.ceiling[key] ?? [], m.ceiling[baseKey] ?? []).map { $0 / $1 }
                let rel = zip(sp, csp).map { $0 / $1 }
                s.speedup.append(Stats.median(sp).rounded(toPlaces: 4))
                s.efficiency.append((Stats.median(sp) / scale).rounded(toPlaces: 4))
                s.efficiencySamples.append(sp.map { ($0 / scale).significant(7) })
                s.ceilingSpeedup.append(Stats.median(csp).rounded(toPlaces: 4))
                s.ceilingEfficiency.append((Stats.median(csp) / scale).rounded(toPlaces: 4))
                s.relativeEfficiency.append(Stats.median(rel).rounded(toPlaces: 4))
                s.relativeEfficiencySamples.append(rel.map { $0.significant(7) })
            }
            scaling = s
        }

        var perLanes: [BenchResult.CeilingSummary.LanesCeiling] = []
        for l in lanes {
            let all = keys.filter { $0.lanes == l }.flatMap { m.ceiling[$0] ?? [] }
            perLanes.append(.init(lanes: l, framesPerSecond: Summary(samples: all)))
        }
        var ceilingSummary = BenchResult.CeilingSummary(
            lanes: refKey.lanes, framesPerSecond: ref.ceilingFramesPerSecond.median, ratio: ref.ratio.median,
            ratioCILow: ref.ratio.ciLow, ratioCIHigh: ref.ratio.ciHigh, perLanes: perLanes, maxFrames: ceilingFrames,
            passes: ceilingPasses)
        if let choice = m.ceilingChoice {
            let kinds = EncodeCeiling.Kind.allCases
            ceilingSummary.settings = Dictionary(uniqueKeysWithValues: kinds.compactMap { k in choice.settings[k].map { (k.rawValue, $0) } })
            ceilingSummary.candidates = Dictionary(uniqueKeysWithValues: kinds.map { k in
                (k.rawValue, (choice.candidates[k] ?? []).map {
                    BenchResult.CeilingSummary.Candidate(settings: $0.settings, msPerImage: $0.msPerImage.significant(5),
                                                         bytesPerImage: $0.bytesPerImage.rounded()) })
            })
            ceilingSummary.librarySettings = Dictionary(uniqueKeysWithValues: kinds.compactMap { k in choice.librarySettings[k].map { (k.rawValue, $0) } })
            ceilingSummary.sizeBand = EncodeCeiling.sizeBand
            ceilingSummary.bytesPerFrame = choice.bytesPerFrame.rounded()
        }
        // The generator's ratio to the other two encode-only figures, per repeat at the reference cell.
        func ratio(_ c: [Double]?) -> Double? {
            guard let c, c.count == m.fps[refKey]?.count, !c.isEmpty else { return nil }
            return Stats.median(zip(m.fps[refKey]!, c).map { $0 / $1 }).rounded(toPlaces: 4)
        }
        if let c = m.ownCeiling[refKey], !c.isEmpty {
            ceilingSummary.generatorSettingsFramesPerSecond = Stats.median(c)
            ceilingSummary.generatorSettingsRatio = ratio(c)
        }
        if let c = m.libraryCeiling[refKey], !c.isEmpty {
            ceilingSummary.libraryFramesPerSecond = Stats.median(c)
            ceilingSummary.libraryRatio = ratio(c)
        }
        if let c = m.format1Ceiling[refKey], !c.isEmpty {
            ceilingSummary.libpngFormat1FramesPerSecond = Stats.median(c)
            ceilingSummary.libpngFormat1Ratio = ratio(c)
        }

        let extrapolations = Objectives.evaluate(cells: cells, reference: refKey, run: run)
        return BenchResult(target: target, created: isoNow(), toolVersion: toolVersion, machine: machine, run: run, cells: cells,
                           referenceCell: refKey, stages: stages, memory: memory, laneScaling: scaling,
                           encodeCeiling: ceilingSummary, extrapolations: extrapolations)
    }

    /// User + system CPU seconds of this process (all threads).
    static func cpuSeconds() -> Double {
        var u = rusage()
        getrusage(RUSAGE_SELF.rawValue, &u)
        return Double(u.ru_utime.tv_sec) + Double(u.ru_utime.tv_usec) * 1e-6
            + Double(u.ru_stime.tv_sec) + Double(u.ru_stime.tv_usec) * 1e-6
    }

    /// The 1-minute load average (0 where unavailable).
    static func loadAverage() -> Double {
        var l = [0.0, 0.0, 0.0]
        return getloadavg(&l, 3) > 0 ? l[0] : 0
    }

    /// Monotonic seconds.
    static func clock() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
    }

    static func isoNow() -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: Date())
    }
}

extension Double {
    /// Rounded to `digits` significant digits (measurements carry no more; it keeps result files readable).
    func significant(_ digits: Int) -> Double {
        guard isFinite, self != 0 else { return self }
        let e = Int(Foundation.floor(Foundation.log10(abs(self)))) - digits + 1
        let scale = pow(10, Double(-e))
        return (self * scale).rounded() / scale
    }

    func rounded(toPlaces places: Int) -> Double {
        guard isFinite else { return self }
        let scale = pow(10, Double(places))
        return (self * scale).rounded() / scale
    }
}
