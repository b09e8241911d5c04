import Foundation
import Support

/// The results document of `synthbench bench` (docs/FORMATS.md, "bench results (schema)").
/// Every field that a gate compares keeps its per-repeat samples.
public struct BenchResult: Codable, Equatable, Sendable {
    public static let formatName = "synthbench-bench"
    public static let schemaVersion = 1

    public var format: String = BenchResult.formatName
    public var schema: Int = BenchResult.schemaVersion
    /// Name of the hardware target (`--target`, default the host name).
    public var target: String
    /// ISO 8601 UTC time the bench finished.
    public var created: String
    public var toolVersion: String
    public var machine: Machine
    public var run: RunInfo
    public var cells: [Cell]
    /// The cell the headline figures come from: the most lanes, then the most envs.
    public var referenceCell: CellKey
    /// Stage breakdown of the reference cell.
    public var stages: Stages
    /// Nil when no memory probe ran (`--memory-envs none`).
    public var memory: Memory?
    /// Nil when only one lane count was measured.
    public var laneScaling: LaneScaling?
    public var encodeCeiling: CeilingSummary
    public var extrapolations: Extrapolations

    enum CodingKeys: String, CodingKey {
        case format, schema, target, created, toolVersion = "tool_version", machine, run, cells
        case referenceCell = "reference_cell", stages, memory, laneScaling = "lane_scaling"
        case encodeCeiling = "encode_ceiling", extrapolations
    }

    public struct CellKey: Codable, Equatable, Hashable, Sendable, CustomStringConvertible {
        public var envs: Int
        public var lanes: Int
        public init(envs: Int, lanes: Int) { self.envs = envs; self.lanes = lanes }
        public var description: String { "envs \(envs), lanes \(lanes)" }
    }

    public struct RunInfo: Codable, Equatable, Sendable {
        public var gitCommit: String?
        public var gitDirty: Bool?
        public var configHash: String
        /// "preset full" or the config file's path.
        public var configSource: String
        public var preset: String
        public var imageWidth: Int
        public var imageHeight: Int
        public var framesPerEpisode: Int
        public var seed: UInt64
        /// Frames per generate run of a cell.
        public var frames: Int
        public var repeats: Int
        public var warmupFrames: Int
        public var envs: [Int]
        public var lanes: [Int]
        /// "release" or "debug": how this binary was built. Only release results mean anything.
        public var build: String
        /// Wall seconds of the whole bench.
        public var seconds: Double
        /// 1-minute load average when the bench started and when it ended (other work on the machine).
        public var loadAverage: [Double]?

        enum CodingKeys: String, CodingKey {
            case gitCommit = "git_commit", gitDirty = "git_dirty", configHash = "config_hash", configSource = "config_source"
            case preset, imageWidth = "image_width", imageHeight = "image_height", framesPerEpisode = "frames_per_episode"
            case seed, frames, repeats, warmupFrames = "warmup_frames", envs, lanes, build, seconds, loadAverage = "load_average"
        }

        public init(gitCommit: String? = nil, gitDirty: Bool? = nil, configHash: String, configSource: String, preset: String, imageWidth: Int, imageHeight: Int, framesPerEpisode: Int, seed: UInt64, frames: Int, repeats: Int, warmupFrames: Int, envs: [Int], lanes: [Int], build: String, seconds: Double, loadAverage: [Double]? = nil) {
            self.gitCommit = gitCommit; self.gitDirty = gitDirty; self.configHash = configHash; self.configSource = configSource; self.preset = preset; self.imageWidth = imageWidth; self.imageHeight = imageHeight; self.framesPerEpisode = framesPerEpisode; self.seed = seed; self.frames = frames; self.repeats = repeats; self.warmupFrames = warmupFrames; self.envs = envs; self.lanes = lanes; self.build = build; self.seconds = seconds; self.loadAverage = loadAverage
        }
    }

    /// One (envs, lanes) combination measured `repeats` times.
    public struct Cell: Codable, Equatable, Sendable {
        public var envs: Int
        public var lanes: Int
        /// Episodes actually in flight: min(envs, episodes in a run of `frames` frames).
        public var effectiveEnvs: Int
        public var framesPerHour: Summary
        public var framesPerSecond: Summary
        /// Encode ceiling measured right after each repeat on that repeat's frames with `lanes` threads.
        public var ceilingFramesPerSecond: Summary
        /// Generator frames/s ÷ ceiling frames/s, per repeat.
        public var ratio: Summary
        /// Median over repeats of each stage's milliseconds per frame, summed over lanes.
        public var stageMsPerFrame: [String: Double]
        /// Median wall milliseconds per frame (1000 / frames per second).
        public var wallMsPerFrame: Double
        public var bytesPerFrame: Double
        /// CPU seconds of the bench process ÷ wall seconds during each generate run: at most `lanes`; well below
        /// it, the machine was busy (the ratio stays comparable, frames/hour and lane scaling do not).
        public var coresUsed: Summary?

        public var key: CellKey { CellKey(envs: envs, lanes: lanes) }

        enum CodingKeys: String, CodingKey {
            case envs, lanes, effectiveEnvs = "effective_envs", framesPerHour = "frames_per_hour"
            case framesPerSecond = "frames_per_second", ceilingFramesPerSecond = "ceiling_frames_per_second", ratio
            case stageMsPerFrame = "stage_ms_per_frame", wallMsPerFrame = "wall_ms_per_frame", bytesPerFrame = "bytes_per_frame"
            case coresUsed = "cores_used"
        }

        public init(envs: Int, lanes: Int, effectiveEnvs: Int, framesPerHour: Summary, framesPerSecond: Summary, ceilingFramesPerSecond: Summary, ratio: Summary, stageMsPerFrame: [String: Double], wallMsPerFrame: Double, bytesPerFrame: Double, coresUsed: Summary? = nil) {
            self.envs = envs; self.lanes = lanes; self.effectiveEnvs = effectiveEnvs; self.framesPerHour = framesPerHour; self.framesPerSecond = framesPerSecond; self.ceilingFramesPerSecond = ceilingFramesPerSecond; self.ratio = ratio; self.stageMsPerFrame = stageMsPerFrame; self.wallMsPerFrame = wallMsPerFrame; self.bytesPerFrame = bytesPerFrame; self.coresUsed = coresUsed
        }
    }

    public struct Stages: Codable, Equatable, Sendable {
        /// Stage names in pipeline order.
        public var names: [String]
        /// Milliseconds per frame, summed over lanes (lane time), per stage.
        public var msPerFrame: [String: Double]
        /// Each stage's share of the summed lane time.
        public var share: [String: Double]
        public var wallMsPerFrame: Double

        enum CodingKeys: String, CodingKey {
            case names, msPerFrame = "ms_per_frame", share, wallMsPerFrame = "wall_ms_per_frame"
        }

        public init(names: [String], msPerFrame: [String: Double], share: [String: Double], wallMsPerFrame: Double) {
            self.names = names; self.msPerFrame = msPerFrame; self.share = share; self.wallMsPerFrame = wallMsPerFrame
        }
    }

    public struct Memory: Codable, Equatable, Sendable {
        /// Environment counts probed, each in its own child process.
        public var envs: [Int]
        /// Lanes of the probe processes.
        public var lanes: Int
        /// Frames each probe generated (enough for all its environments to be in flight).
        public var frames: [Int]
        /// Peak RSS (wait4 ru_maxrss) per envs value, over the probe repeats.
        public var peakRSSBytes: [Summary]
        /// Least-squares line through every (envs, peak RSS) point: slope and intercept.
        public var bytesPerEnv: Double
        public var fixedBytes: Double
        public var r2: Double?
        /// The slope fitted to each repeat's points alone (the gate's samples).
        public var bytesPerEnvSamples: [Double]
        /// Each probe's own VmHWM as it wrote in its manifest (`run.peak_rss_bytes`, before the final assembly):
        /// a cross-check of `peak_rss_bytes`.
        public var childReportedPeakRSSBytes: [Summary]
        /// This process's peak RSS when it started the probes. A spawned child's ru_maxrss is at least this
        /// (posix_spawn runs the child on the spawner's memory until exec, and exec records that peak).
        public var spawnerPeakRSSBytes: Int
        /// Set when a probe's ru_maxrss did not exceed the spawner's peak (then it measured the spawner).
        public var warning: String?

        enum CodingKeys: String, CodingKey {
            case envs, lanes, frames, peakRSSBytes = "peak_rss_bytes", bytesPerEnv = "bytes_per_env"
            case fixedBytes = "fixed_bytes", r2, bytesPerEnvSamples = "bytes_per_env_samples"
            case childReportedPeakRSSBytes = "child_reported_peak_rss_bytes", spawnerPeakRSSBytes = "spawner_peak_rss_bytes", warning
        }

        public init(envs: [Int], lanes: Int, frames: [Int], peakRSSBytes: [Summary], bytesPerEnv: Double, fixedBytes: Double, r2: Double? = nil, bytesPerEnvSamples: [Double], childReportedPeakRSSBytes: [Summary], spawnerPeakRSSBytes: Int, warning: String? = nil) {
            self.envs = envs; self.lanes = lanes; self.frames = frames; self.peakRSSBytes = peakRSSBytes; self.bytesPerEnv = bytesPerEnv; self.fixedBytes = fixedBytes; self.r2 = r2; self.bytesPerEnvSamples = bytesPerEnvSamples; self.childReportedPeakRSSBytes = childReportedPeakRSSBytes; self.spawnerPeakRSSBytes = spawnerPeakRSSBytes; self.warning = warning
        }
    }

    public struct LaneScaling: Codable, Equatable, Sendable {
        /// The envs value of the cells compared.
        public var envs: Int
        /// The lane count speedups are relative to (1 when measured).
        public var baseLanes: Int
        public var lanes: [Int]
        /// Median over repeats of frames/s(lanes) ÷ frames/s(base lanes) of the same repeat.
        public var speedup: [Double]
        /// speedup ÷ (lanes ÷ base lanes).
        public var efficiency: [Double]
        public var efficiencySamples: [[Double]]
        /// The same for the encode ceiling measured in the same repeats.
        public var ceilingSpeedup: [Double]
        public var ceilingEfficiency: [Double]
        /// Generator speedup ÷ ceiling speedup: 1 means the generator scales as well as encoding alone does.
        public var relativeEfficiency: [Double]
        public var relativeEfficiencySamples: [[Double]]

        enum CodingKeys: String, CodingKey {
            case envs, baseLanes = "base_lanes", lanes, speedup, efficiency, efficiencySamples = "efficiency_samples"
            case ceilingSpeedup = "ceiling_speedup", ceilingEfficiency = "ceiling_efficiency"
            case relativeEfficiency = "relative_efficiency", relativeEfficiencySamples = "relative_efficiency_samples"
        }

        public init(envs: Int, baseLanes: Int, lanes: [Int], speedup: [Double], efficiency: [Double], efficiencySamples: [[Double]], ceilingSpeedup: [Double], ceilingEfficiency: [Double], relativeEfficiency: [Double], relativeEfficiencySamples: [[Double]]) {
            self.envs = envs; self.baseLanes = baseLanes; self.lanes = lanes; self.speedup = speedup; self.efficiency = efficiency; self.efficiencySamples = efficiencySamples; self.ceilingSpeedup = ceilingSpeedup; self.ceilingEfficiency = ceilingEfficiency; self.relativeEfficiency = relativeEfficiency; self.relativeEfficiencySamples = relativeEfficiencySamples
        }
    }

    public struct CeilingSummary: Codable, Equatable, Sendable {
        /// Threads of the headline figure (the reference cell's lanes).
        public var lanes: Int
        public var framesPerSecond: Double
        /// Generator ÷ ceiling at the reference cell (median over repeats).
        public var ratio: Double
        public var ratioCILow: Double
        public var ratioCIHigh: Double
        /// Ceiling frames/s per lane count, over every measurement with that many threads.
        public var perLanes: [LanesCeiling]
        /// Frames of each measurement and passes over them.
        public var maxFrames: Int
        public var passes: Int
        /// The encoder setting the ceiling took per image kind ("rgb", "depth", "mask"): the fastest combination of
        /// those we ship whose frame is at most `size_band` times the smallest's (absent in results before it).
        public var settings: [String: PNGSettings]?
        /// The same choice among the libraries alone (libpng, libdeflate; no built-in coder), its frames/s and the
        /// generator's ratio to it: the best-library ceiling.
        public var librarySettings: [String: PNGSettings]?
        public var libraryFramesPerSecond: Double?
        public var libraryRatio: Double?
        /// Every candidate timed to make that choice (single thread, per image).
        public var candidates: [String: [Candidate]]?
        public var sizeBand: Double?
        /// Bytes per frame with the chosen settings.
        public var bytesPerFrame: Double?
        /// The same frames encoded with the settings the generator writes with, and the generator's ratio to it.
        public var generatorSettingsFramesPerSecond: Double?
        public var generatorSettingsRatio: Double?
        /// The same frames encoded by libpng with dataset format 1's settings (the ceiling reported before format 2),
        /// and the generator's ratio to it.
        public var libpngFormat1FramesPerSecond: Double?
        public var libpngFormat1Ratio: Double?

        public struct Candidate: Codable, Equatable, Sendable {
            public var settings: PNGSettings
            public var msPerImage: Double
            public var bytesPerImage: Double
            enum CodingKeys: String, CodingKey { case settings, msPerImage = "ms_per_image", bytesPerImage = "bytes_per_image" }
            public init(settings: PNGSettings, msPerImage: Double, bytesPerImage: Double) {
                self.settings = settings; self.msPerImage = msPerImage; self.bytesPerImage = bytesPerImage
            }
        }

        public struct LanesCeiling: Codable, Equatable, Sendable {
            public var lanes: Int
            public var framesPerSecond: Summary
            enum CodingKeys: String, CodingKey { case lanes, framesPerSecond = "frames_per_second" }

            public init(lanes: Int, framesPerSecond: Summary) {
                self.lanes = lanes; self.framesPerSecond = framesPerSecond
            }
        }

        enum CodingKeys: String, CodingKey {
            case lanes, framesPerSecond = "frames_per_second", ratio, ratioCILow = "ratio_ci_low", ratioCIHigh = "ratio_ci_high"
            case perLanes = "per_lanes", maxFrames = "max_frames", passes, settings, candidates, sizeBand = "size_band"
            case bytesPerFrame = "bytes_per_frame"
            case librarySettings = "library_settings", libraryFramesPerSecond = "library_frames_per_second"
            case libraryRatio = "library_ratio"
            case generatorSettingsFramesPerSecond = "generator_settings_frames_per_second"
            case generatorSettingsRatio = "generator_settings_ratio"
            case libpngFormat1FramesPerSecond = "libpng_format1_frames_per_second", libpngFormat1Ratio = "libpng_format1_ratio"
        }

        public init(lanes: Int, framesPerSecond: Double, ratio: Double, ratioCILow: Double, ratioCIHigh: Double, perLanes: [LanesCeiling], maxFrames: Int, passes: Int) {
            self.lanes = lanes; self.framesPerSecond = framesPerSecond; self.ratio = ratio; self.ratioCILow = ratioCILow; self.ratioCIHigh = ratioCIHigh; self.perLanes = perLanes; self.maxFrames = maxFrames; self.passes = passes
        }
    }

    public struct Extrapolations: Codable, Equatable, Sendable {
        public var bytesPerFrame: Double
        /// The exercises' and the chapter's objectives, each with pass/fail.
        public var objectives: [Objective]

        enum CodingKeys: String, CodingKey { case bytesPerFrame = "bytes_per_frame", objectives }

        public init(bytesPerFrame: Double, objectives: [Objective]) {
            self.bytesPerFrame = bytesPerFrame; self.objectives = objectives
        }
    }

    /// An extrapolated figure checked against a target: pass when low ≤ value ≤ high (either bound optional).
    public struct Objective: Codable, Equatable, Sendable {
        public var name: String
        public var description: String
        public var value: Double
        public var unit: String
        public var low: Double?
        public var high: Double?
        /// The cell the figure was extrapolated from.
        public var cell: CellKey
        public var pass: Bool
        /// Why the figure is approximate, when it is (e.g. the cell's envs differ from the objective's).
        public var note: String?

        public init(name: String, description: String, value: Double, unit: String, low: Double? = nil, high: Double? = nil, cell: CellKey, pass: Bool, note: String? = nil) {
            self.name = name; self.description = description; self.value = value; self.unit = unit; self.low = low; self.high = high; self.cell = cell; self.pass = pass; self.note = note
        }
    }

    public func cell(_ key: CellKey) -> Cell? { cells.first { $0.key == key } }

    public init(format: String = BenchResult.formatName, schema: Int = BenchResult.schemaVersion, target: String, created: String, toolVersion: String, machine: Machine, run: RunInfo, cells: [Cell], referenceCell: CellKey, stages: Stages, memory: Memory? = nil, laneScaling: LaneScaling? = nil, encodeCeiling: CeilingSummary, extrapolations: Extrapolations) {
        self.format = format; self.schema = schema; self.target = target; self.created = created; self.toolVersion = toolVersion; self.machine = machine; self.run = run; self.cells = cells; self.referenceCell = referenceCell; self.stages = stages; self.memory = memory; self.laneScaling = laneScaling; self.encodeCeiling = encodeCeiling; self.extrapolations = extrapolations
    }
}

// MARK: - Reading and writing

/// A results file that cannot be used: names the file, the field (a JSON path such as `cells[2].ratio.median`)
/// and what is wrong.
public struct ResultFileError: Error, CustomStringConvertible, Equatable {
    public let file: String
    public let field: String
    public let message: String
    public init(file: String, field: String, message: String) { self.file = file; self.field = field; self.message = message }
    public var description: String { field.isEmpty ? "\(file): \(message)" : "\(file): field \(field): \(message)" }
}

extension BenchResult {
    /// Pretty-printed JSON with sorted keys (the same result always gives the same bytes).
    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self) + "\n"
    }

    /// Writes the file atomically: a reader never sees a partial result.
    public func write(to path: String) throws {
        try FileIO.writeAtomically(try json(), to: path, sync: true)
    }

    /// Reads and validates a results file.
    public static func read(path: String) throws -> BenchResult {
        guard FileIO.exists(path) else { throw ResultFileError(file: path, field: "", message: "no such file") }
        let bytes: [UInt8]
        do { bytes = try FileIO.readAll(path) } catch { throw ResultFileError(file: path, field: "", message: "\(error)") }
        return try decode(Data(bytes), file: path)
    }

    public static func decode(_ data: Data, file: String) throws -> BenchResult {
        let top: Any
        do { top = try JSONSerialization.jsonObject(with: data) }
        catch { throw ResultFileError(file: file, field: "", message: "not valid JSON") }
        guard let object = top as? [String: Any] else {
            throw ResultFileError(file: file, field: "", message: "expected a JSON object at the top level")
        }
        guard let format = object["format"] as? String, format == formatName else {
            throw ResultFileError(file: file, field: "format",
                                  message: "not a synthbench bench result (expected \"\(formatName)\")")
        }
        guard let schema = object["schema"] as? Int else {
            throw ResultFileError(file: file, field: "schema", message: "missing or not an integer")
        }
        guard schema == schemaVersion else {
            throw ResultFileError(file: file, field: "schema",
                                  message: "schema version \(schema) is not supported (this tool reads \(schemaVersion))")
        }
        let result: BenchResult
        do { result = try JSONDecoder().decode(BenchResult.self, from: data) }
        catch let e as DecodingError { throw ResultFileError(file: file, decoding: e) }
        try result.validate(file: file)
        return result
    }

    /// Checks what the types cannot: non-empty, finite, consistent samples and grids.
    func validate(file: String) throws {
        func fail(_ field: String, _ message: String) -> ResultFileError { ResultFileError(file: file, field: field, message: message) }
        func check(_ s: Summary, _ field: String, positive: Bool = true) throws {
            if s.samples.isEmpty { throw fail(field + ".samples", "no samples") }
            if let bad = s.samples.firstIndex(where: { !$0.isFinite || (positive && $0 <= 0) }) {
                throw fail("\(field).samples[\(bad)]", positive ? "must be a positive number" : "must be finite")
            }
        }
        if cells.isEmpty { throw fail("cells", "no cells") }
        if run.repeats < 1 { throw fail("run.repeats", "must be >= 1") }
        // Integers a report multiplies or prints as sizes: bounded like every integer read from a file.
        for (field, v, lo, hi) in [("run.image_width", run.imageWidth, 1, InputLimits.imageSide),
                                   ("run.image_height", run.imageHeight, 1, InputLimits.imageSide),
                                   ("run.frames_per_episode", run.framesPerEpisode, 1, InputLimits.episodeFrames),
                                   ("run.frames", run.frames, 0, InputLimits.frames),
                                   ("run.repeats", run.repeats, 1, 1_000_000),
                                   ("run.warmup_frames", run.warmupFrames, 0, InputLimits.frames)] where !(lo...hi).contains(v) {
            throw fail(field, "\(v) is outside \(lo)...\(hi)")
        }
        var seen = Set<CellKey>()
        for (i, c) in cells.enumerated() {
            let f = "cells[\(i)]"
            if c.envs < 1 { throw fail(f + ".envs", "must be >= 1") }
            if c.lanes < 1 { throw fail(f + ".lanes", "must be >= 1") }
            if !seen.insert(c.key).inserted { throw fail(f, "duplicate cell (\(c.key))") }
            try check(c.framesPerHour, f + ".frames_per_hour")
            try check(c.framesPerSecond, f + ".frames_per_second")
            try check(c.ratio, f + ".ratio")
            try check(c.ceilingFramesPerSecond, f + ".ceiling_frames_per_second")
        }
        if cell(referenceCell) == nil { throw fail("reference_cell", "names no cell of `cells` (\(referenceCell))") }
        if let m = memory {
            if m.envs.count != m.peakRSSBytes.count || m.envs.count != m.frames.count {
                throw fail("memory.peak_rss_bytes", "must have one entry per memory.envs value")
            }
            for (i, s) in m.peakRSSBytes.enumerated() { try check(s, "memory.peak_rss_bytes[\(i)]") }
            if m.bytesPerEnvSamples.contains(where: { !$0.isFinite }) { throw fail("memory.bytes_per_env_samples", "must be finite") }
        }
        if let l = laneScaling {
            let n = l.lanes.count
            for (name, count) in [("speedup", l.speedup.count), ("efficiency", l.efficiency.count),
                                  ("efficiency_samples", l.efficiencySamples.count),
                                  ("ceiling_speedup", l.ceilingSpeedup.count), ("ceiling_efficiency", l.ceilingEfficiency.count),
                                  ("relative_efficiency", l.relativeEfficiency.count),
                                  ("relative_efficiency_samples", l.relativeEfficiencySamples.count)] where count != n {
                throw fail("lane_scaling." + name, "must have one entry per lane_scaling.lanes value (\(n)), has \(count)")
            }
            for (i, s) in l.efficiencySamples.enumerated() where s.isEmpty || s.contains(where: { !$0.isFinite || $0 <= 0 }) {
                throw fail("lane_scaling.efficiency_samples[\(i)]", "must be non-empty positive numbers")
            }
            for (i, s) in l.relativeEfficiencySamples.enumerated() where s.isEmpty || s.contains(where: { !$0.isFinite || $0 <= 0 }) {
                throw fail("lane_scaling.relative_efficiency_samples[\(i)]", "must be non-empty positive numbers")
            }
        }
        if !(encodeCeiling.framesPerSecond > 0) { throw fail("encode_ceiling.frames_per_second", "must be a positive number") }
        if !(encodeCeiling.ratio > 0) { throw fail("encode_ceiling.ratio", "must be a positive number") }
    }
}

extension ResultFileError {
    /// Turns a Codable error into the JSON path of the field and a sentence.
    init(file: String, decoding error: DecodingError) {
        func path(_ keys: [CodingKey]) -> String {
            var out = ""
            for k in keys {
                if let i = k.intValue { out += "[\(i)]" } else { out += (out.isEmpty ? "" : ".") + k.stringValue }
            }
            return out
        }
        func typeName(_ t: Any.Type) -> String {
            switch t {
            case is String.Type: return "a string"
            case is Int.Type, is UInt64.Type: return "an integer"
            case is Double.Type: return "a number"
            case is Bool.Type: return "true or false"
            case is [Any].Type: return "an array"
            default: return "\(t)".hasPrefix("Array") ? "an array" : "an object"
            }
        }
        switch error {
        case let .keyNotFound(key, context):
            self.init(file: file, field: path(context.codingPath + [key]), message: "missing")
        case let .typeMismatch(type, context):
            self.init(file: file, field: path(context.codingPath), message: "expected \(typeName(type))")
        case let .valueNotFound(type, context):
            self.init(file: file, field: path(context.codingPath), message: "expected \(typeName(type)), found null")
        case let .dataCorrupted(context):
            self.init(file: file, field: path(context.codingPath), message: context.debugDescription)
        @unknown default:
            self.init(file: file, field: "", message: "\(error)")
        }
    }
}
