import DatasetFormat
import Foundation
import Physics
import Randomization
import Render
import Support

/// What `synthbench generate` asks for.
public struct GenerateOptions {
    public var config: GeneratorConfig
    public var frames: Int
    /// Episodes in flight at once.
    public var envs: Int
    /// Render threads.
    public var lanes: Int
    public var seed: UInt64
    public var output: String
    /// 1-based shard index and count.
    public var shard: (index: Int, count: Int) = (1, 1)
    public var resume = false
    public var force = false
    public var progress = true

    public init(config: GeneratorConfig, frames: Int, envs: Int, lanes: Int, seed: UInt64, output: String) {
        self.config = config; self.frames = frames; self.envs = envs; self.lanes = lanes; self.seed = seed; self.output = output
    }
}

/// What a run did.
public struct GenerateSummary {
    public var framesWritten: Int
    public var framesTotal: Int
    public var seconds: Double
    public var stages: StageTimes
    public var bytes: Int
    public var peakRSS: Int
    public var resumedFrom: Int?
    public var alreadyComplete = false
    public var framesPerHour: Double { seconds > 0 ? Double(framesWritten) / seconds * 3600 : 0 }
}

/// Generates a dataset: episodes of physics, rendered on parallel lanes, written as PNG + COCO + log +
/// manifest. Every file but the manifest's `run` section is byte-identical for the same config and seed,
/// whatever `envs`, `lanes`, `shard` or `resume`.
public enum Generator {
    /// `onFrame` is called with the number of frames journaled so far, each time one more is; an error it throws
    /// cancels the run: the journal is flushed, the lanes stop, `run` rethrows the error, and the directory is left
    /// without a manifest, ready for `resume`.
    public static func run(_ o: GenerateOptions, onFrame: ((Int) throws -> Void)? = nil) throws -> GenerateSummary {
        guard o.frames > 0 else { throw GeneratorError.usage("--frames", "must be > 0 (got \(o.frames))") }
        guard o.envs > 0 else { throw GeneratorError.usage("--envs", "must be > 0 (got \(o.envs))") }
        guard o.lanes > 0 else { throw GeneratorError.usage("--lanes", "must be > 0 (got \(o.lanes))") }
        guard o.shard.count > 0, o.shard.index >= 1, o.shard.index <= o.shard.count else {
            throw GeneratorError.usage("--shard", "expected i/n with 1 <= i <= n (got \(o.shard.index)/\(o.shard.count))")
        }
        if o.resume && o.force { throw GeneratorError.usage("--resume/--force", "choose one") }
        let plan = Plan(options: o)
        let dir = o.output
        let state = try prepareDirectory(o, plan: plan)
        if state.complete {
            return GenerateSummary(framesWritten: 0, framesTotal: plan.frameRange.count, seconds: 0, stages: StageTimes(),
                                   bytes: 0, peakRSS: peakResidentBytes(), resumedFrom: nil, alreadyComplete: true)
        }
        let start = monotonicSeconds()
        let journalPath = dir + "/" + DatasetLayout.journal
        let journal = try AppendFile(path: journalPath, truncateTo: state.journalBytes)
        let engine = Engine(options: o, plan: plan, resumeFrom: state.resumeFrom, journal: journal, onFrame: onFrame)
        try engine.run()
        try journal.flush(sync: true)
        let run = runJSON(o, seconds: monotonicSeconds() - start, frames: plan.frameRange.upperBound - state.resumeFrom,
                          stages: engine.stages, resumedFrom: state.resumeFrom > plan.frameRange.lowerBound ? state.resumeFrom : nil)
        try finalize(directory: dir, journalPath: journalPath,
                     manifest: Manifest(seed: o.seed, totalFrames: o.frames, frameRange: plan.frameRange, shard: o.shard,
                                        configJSON: o.config.canonicalJSON, configHash: o.config.hash, files: [:], runJSON: run))
        let seconds = monotonicSeconds() - start
        return GenerateSummary(framesWritten: plan.frameRange.upperBound - state.resumeFrom, framesTotal: plan.frameRange.count,
                               seconds: seconds, stages: engine.stages, bytes: engine.bytes, peakRSS: peakResidentBytes(),
                               resumedFrom: state.resumeFrom > plan.frameRange.lowerBound ? state.resumeFrom : nil)
    }

    static func runJSON(_ o: GenerateOptions, seconds: Double, frames: Int, stages: StageTimes, resumedFrom: Int?) -> String {
        let perFrame = StageTimes.names.enumerated().map { i, name in
            (name, JSONText.number((stages.values[i] / Double(max(frames, 1)) * 1e6).rounded() / 1e3))
        }
        return JSONText.object([
            ("envs", String(o.envs)), ("lanes", String(o.lanes)), ("frames_this_run", String(frames)),
            ("seconds", JSONText.number((seconds * 1000).rounded() / 1000)),
            ("frames_per_hour", JSONText.number((Double(frames) / max(seconds, 1e-9) * 3600).rounded())),
            ("stage_ms_per_frame", JSONText.object(perFrame)),
            ("peak_rss_bytes", String(peakResidentBytes())),
            ("resumed_from_frame", resumedFrom.map(String.init) ?? "null"),
        ])
    }

    /// Assembles annotations.json and randomization.jsonl from the journal, then writes the manifest last
    /// (fsynced, under a temporary name renamed into place) and removes the run state. The manifest's file list
    /// is streamed from the journal in name order, so memory does not grow with the number of frames.
    static func finalize(directory dir: String, journalPath: String, manifest template: Manifest) throws {
        try DatasetLayout.assemble(directory: dir, journal: journalPath, configHash: template.configHash)
        var extras: [(String, FileEntry)] = []
        for name in [DatasetLayout.annotations, DatasetLayout.randomizationLog].sorted() {
            extras.append((name, try digest(of: dir + "/" + name)))
        }
        let path = dir + "/" + DatasetLayout.manifest
        let out = try AppendFile(path: path + FileIO.temporaryMarker, truncateTo: 0)
        out.append(template.head)
        var first = true
        func emit(_ name: String, _ entry: FileEntry) throws {
            out.append((first ? "" : ",") + Manifest.fileJSON(name, entry)); first = false
            try out.flushIfLarge()
        }
        // Frame numbers print with six digits, so below 10⁶ the journal's frame order is the names' order.
        if template.frameRange.upperBound <= 1_000_000 {
            // Image directories in name order, each from one pass over the journal; the other files where their
            // names fall between them.
            let kinds: [(directory: String, index: Int, name: (Int) -> String)] =
                [("rgb", 0, DatasetLayout.rgb), ("depth", 1, DatasetLayout.depth), ("mask", 2, DatasetLayout.mask)]
                .sorted { $0.0 < $1.0 }
            var pending = extras[...]
            for kind in kinds {
                while let x = pending.first, x.0 < kind.directory + "/" { try emit(x.0, x.1); pending.removeFirst() }
                try DatasetLayout.forEachRecord(journal: journalPath) { r in try emit(kind.name(r.frame), r.files[kind.index]) }
            }
            for x in pending { try emit(x.0, x.1) }
        } else {
            var files: [String: FileEntry] = Dictionary(uniqueKeysWithValues: extras)
            try DatasetLayout.forEachRecord(journal: journalPath) { r in
                files[DatasetLayout.rgb(r.frame)] = r.files[0]
                files[DatasetLayout.depth(r.frame)] = r.files[1]
                files[DatasetLayout.mask(r.frame)] = r.files[2]
            }
            for name in files.keys.sorted() { try emit(name, files[name]!) }
        }
        out.append(Manifest.tail)
        try out.flush(sync: true)
        try out.commit(to: path)
        try FileIO.remove(dir + "/" + DatasetLayout.stateDirectory)
    }

    /// SHA-256 and size of a file, streamed.
    static func digest(of path: String) throws -> FileEntry {
        guard let h = FileHandle(forReadingAtPath: path) else { throw FileIOError(.read, path: path, errno: ENOENT) }
        defer { try? h.close() }
        var sha = SHA256()
        var bytes = 0
        while true {
            let d = h.readData(ofLength: 1 << 20)
            if d.isEmpty { break }
            bytes += d.count
            sha.update(d)
        }
        return FileEntry(sha256: sha.finalizeHex(), bytes: bytes)
    }

    struct DirectoryState {
        var complete = false
        var resumeFrom: Int
        var journalBytes: Int = 0
    }

    static let datasetEntries: Set<String> = [DatasetLayout.annotations, DatasetLayout.randomizationLog, DatasetLayout.manifest,
                                              DatasetLayout.stateDirectory, "rgb", "depth", "mask"]

    static func runIdentity(_ o: GenerateOptions, plan: Plan) -> String {
        JSONText.object([("config_hash", JSONText.string(o.config.hash)), ("seed", String(o.seed)),
                         ("frames", String(o.frames)), ("shard", "[\(o.shard.index),\(o.shard.count)]")]) + "\n"
    }

    /// Checks the output directory against --resume/--force and lays out its folders.
    static func prepareDirectory(_ o: GenerateOptions, plan: Plan) throws -> DirectoryState {
        let dir = o.output
        if FileIO.exists(dir) && !FileIO.isDirectory(dir) { throw FileIOError(.create, path: dir, errno: ENOTDIR) }
        let entries = FileIO.listDirectory(dir).filter { !$0.hasSuffix(FileIO.temporaryMarker) }
        let identity = runIdentity(o, plan: plan)
        var state = DirectoryState(resumeFrom: plan.frameRange.lowerBound)
        if o.force {
            let foreign = entries.filter { !datasetEntries.contains($0) }
            if !foreign.isEmpty {
                throw GeneratorError.usage("--force", "\(dir) holds files that are not part of a dataset (\(foreign.prefix(3).joined(separator: ", "))); refusing to delete them")
            }
            for e in FileIO.listDirectory(dir) { try FileIO.remove(dir + "/" + e) }
        } else if o.resume && !entries.isEmpty {
            let runPath = dir + "/" + DatasetLayout.runFile
            if FileIO.exists(dir + "/" + DatasetLayout.manifest) && !FileIO.exists(runPath) {
                let m = try Manifest.read(path: dir + "/" + DatasetLayout.manifest)
                guard m.configHash == o.config.hash, m.seed == o.seed, m.totalFrames == o.frames,
                      m.shard.index == o.shard.index, m.shard.count == o.shard.count else {
                    throw GeneratorError.usage("--resume", "\(dir) holds a finished dataset of a different config, seed, frame count or shard")
                }
                state.complete = true
                return state
            }
            guard FileIO.exists(runPath) else {
                throw GeneratorError.usage("--resume", "\(dir) is not empty and holds no interrupted run to resume")
            }
            let saved = String(decoding: try FileIO.readAll(runPath), as: UTF8.self)
            guard saved == identity else {
                throw GeneratorError.usage("--resume", "\(dir) holds an interrupted run of a different config, seed, frame count or shard")
            }
            // The journal's contiguous prefix of complete lines is done; the rest is redone.
            var expected = plan.frameRange.lowerBound
            var good = 0
            let journalPath = dir + "/" + DatasetLayout.journal
            if FileIO.exists(journalPath) {
                try LineReader(path: journalPath).forEach { line, complete, offset in
                    guard complete, offset == good, let r = JournalRecord(line: line), r.frame == expected else { return }
                    expected += 1
                    good = offset + line.utf8.count + 1
                }
            }
            state.resumeFrom = expected
            state.journalBytes = good
        } else if !entries.isEmpty {
            throw FileIOError(.notEmpty, path: dir)
        }
        try FileIO.makeDirectory(dir)
        // On ext4 the image folders then go to block groups of their own: creating files where many inodes were
        // freed in the last minutes (earlier datasets deleted) is otherwise several times slower.
        Platform.markTopDirectory(dir)
        for sub in DatasetLayout.imageDirectories + [DatasetLayout.stateDirectory] { try FileIO.makeDirectory(dir + "/" + sub) }
        for sub in ["", "/rgb", "/depth", "/mask"] {
            for e in FileIO.listDirectory(dir + sub) where e.hasSuffix(FileIO.temporaryMarker) { try FileIO.remove(dir + sub + "/" + e) }
        }
        if !o.resume || !FileIO.exists(dir + "/" + DatasetLayout.runFile) {
            try FileIO.writeAtomically(identity, to: dir + "/" + DatasetLayout.runFile, sync: true)
        }
        return state
    }
}

/// Which episodes and frames this run (or shard) covers.
struct Plan {
    let framesPerEpisode: Int
    let episodes: Range<Int>
    let frameRange: Range<Int>

    init(options o: GenerateOptions) {
        let f = o.config.framesPerEpisode
        let total = (o.frames + f - 1) / f
        let e0 = (o.shard.index - 1) * total / o.shard.count, e1 = o.shard.index * total / o.shard.count
        framesPerEpisode = f
        episodes = e0..<e1
        frameRange = min(e0 * f, o.frames)..<min(e1 * f, o.frames)
    }

    /// Frames of episode k inside this run's range, as indices within the episode.
    func indices(of k: Int) -> Range<Int> {
        let lo = max(frameRange.lowerBound - k * framesPerEpisode, 0)
        let hi = min(frameRange.upperBound - k * framesPerEpisode, framesPerEpisode)
        return lo..<max(lo, hi)
    }
}
