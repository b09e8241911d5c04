import DatasetFormat
import Foundation
import Render
import Support

/// The encode ceiling: PNG encoding alone, on a dataset's own frames (RGB, depth and mask decoded once into
/// memory), with the best encoder we ship for each image kind, on `lanes` threads. A generator cannot beat the
/// time its output takes to encode, so its speed is reported as a ratio of this.
///
/// "Best" is chosen on this machine from every encoder and setting we ship (libpng with several filter/strategy
/// pairs, libdeflate levels 1–2 with NONE/SUB/UP, the built-in run coder), one per image kind: the fastest
/// combination whose frame is at most `sizeBand` times the smallest combination's (see `choose`). Beside it the same frames are encoded with the
/// generator's own settings and with libpng at the settings of dataset format 1 (the ceiling before format 2).
public enum EncodeCeiling {
    /// Image kinds in a frame, in file order.
    public enum Kind: String, CaseIterable, Sendable { case rgb, depth, mask }

    /// A frame's files at most this many times the smallest combination's.
    public static let sizeBand = 1.25

    /// One encoder setting timed on one kind: single-thread milliseconds and bytes per image.
    public struct Candidate: Equatable, Sendable {
        public var settings: PNGSettings
        public var msPerImage: Double
        public var bytesPerImage: Double
    }

    /// The setting taken for each kind, with every candidate timed to take it.
    public struct Choice: Equatable, Sendable {
        public var settings: [Kind: PNGSettings]
        /// The same choice among the libraries' encoders alone (libpng, libdeflate): the best-library ceiling.
        public var librarySettings: [Kind: PNGSettings]
        public var candidates: [Kind: [Candidate]]
        public func chosen(_ kind: Kind) -> Candidate? { candidates[kind]?.first { $0.settings == settings[kind] } }
        /// Bytes per frame with the chosen settings.
        public var bytesPerFrame: Double { Kind.allCases.compactMap { chosen($0)?.bytesPerImage }.reduce(0, +) }
    }

    public struct Result {
        /// Frames encoded per measurement (frames × passes).
        public var frames: Int
        /// Seconds with the chosen settings (the ceiling).
        public var seconds: Double
        public var framesPerSecond: Double { Double(frames) / seconds }
        public var choice: Choice
        /// Frames/s with the best libraries' settings alone (no built-in coder).
        public var libraryFramesPerSecond: Double
        /// Frames/s with the settings the generator writes with.
        public var generatorSettingsFramesPerSecond: Double
        /// Frames/s with libpng at dataset format 1's settings (SUB, level 1, Z_RLE / default / Z_RLE).
        public var libpngFormat1FramesPerSecond: Double
    }

    /// Candidates for one kind: every encoder and setting we ship that suits it.
    public static func candidates(_ kind: Kind) -> [PNGSettings] {
        let bytesPerPixel = kind == .rgb ? 3 : 2
        var c: [PNGSettings] = [.libpng(.sub, level: 1, .rle), .libpng(.sub, level: 1, .huffman),
                                .libpng(.sub, level: 1, .defaultStrategy), .libpng(.none, level: 1, .rle),
                                .libpng(.up, level: 1, .rle)]
        for f in [PNGSettings.Filter.none, .sub, .up] {
            for level in 1...2 { c.append(.libdeflate(f, level: level)) }
            for d in [0, bytesPerPixel] { c.append(.runs(f, distance: d)) }
        }
        return c
    }

    /// The generator's own settings for a kind.
    public static func generatorSettings(_ kind: Kind) -> PNGSettings {
        switch kind { case .rgb: .rgb; case .depth: .depth; case .mask: .mask }
    }

    static func libpngFormat1(_ kind: Kind) -> PNGSettings {
        switch kind { case .rgb: .libpngRGB; case .depth: .libpngDepth; case .mask: .libpngMask }
    }

    /// A decoded frame of the dataset.
    struct Frame { var rgb: PNGImage; var depth: PNGImage; var mask: PNGImage }

    /// Measures the ceiling on up to `maxFrames` frames of the dataset in `directory` on `lanes` threads. Each
    /// figure encodes the frames `passes` times, and more (up to 100 times) until it has taken half a second, so
    /// that a fast encoder is not timed over a few milliseconds and a slow one costs no more than it must. The
    /// choice is made here (single-threaded, on up to 8 of those frames) unless `choice` is given, so that
    /// repeated measurements of one run compare the same settings.
    public static func measure(directory: String, lanes: Int, maxFrames: Int = 40, passes: Int = 3,
                               choice: Choice? = nil) throws -> Result {
        let images = try load(directory: directory, maxFrames: maxFrames)
        let choice = try choice ?? choose(images)
        let jobs = (least: images.count * passes, most: max(images.count * passes, images.count * 100))
        let best = try throughput(images, jobs: jobs, lanes: lanes) { choice.settings[$0]! }
        let library = try throughput(images, jobs: jobs, lanes: lanes) { choice.librarySettings[$0]! }
        let own = try throughput(images, jobs: jobs, lanes: lanes) { generatorSettings($0) }
        let old = try throughput(images, jobs: jobs, lanes: lanes) { libpngFormat1($0) }
        return Result(frames: best.frames, seconds: best.seconds, choice: choice,
                      libraryFramesPerSecond: library.framesPerSecond, generatorSettingsFramesPerSecond: own.framesPerSecond,
                      libpngFormat1FramesPerSecond: old.framesPerSecond)
    }

    /// At least this long per figure (unless the most frames are done first).
    static let figureSeconds = 0.5

    /// One figure: frames encoded and the seconds they took.
    struct Figure {
        var frames: Int
        var seconds: Double
        var framesPerSecond: Double { Double(frames) / seconds }
    }

    /// Times every candidate on each kind (single thread, the fastest of three rounds, candidates interleaved so
    /// that a noisy moment hits them alike), then takes the fastest combination (one setting per kind) whose
    /// frame is at most `sizeBand` times the smallest combination's and whose 100K frames fit the chapter's
    /// 60 GB (scaled by pixels from 640×480). Combinations within 3 % of the fastest count as equally fast: the
    /// smallest of them is taken.
    static func choose(_ frames: [Frame]) throws -> Choice {
        let sample = Array(frames.prefix(8))
        let encoder = PNGEncoder()
        var all: [Kind: [Candidate]] = [:]
        for kind in Kind.allCases {
            let list = candidates(kind)
            var best = [Double](repeating: .infinity, count: list.count)
            var bytes = [Double](repeating: 0, count: list.count)
            for _ in 0..<3 {
                for (i, s) in list.enumerated() {
                    var total = 0
                    let t0 = monotonicSeconds()
                    for f in sample { total += try encode(f, kind, s, encoder) }
                    best[i] = min(best[i], (monotonicSeconds() - t0) * 1000 / Double(sample.count))
                    bytes[i] = Double(total) / Double(sample.count)
                }
            }
            all[kind] = list.indices.map { Candidate(settings: list[$0], msPerImage: best[$0], bytesPerImage: bytes[$0]) }
        }
        let pixels = Double(sample[0].rgb.width * sample[0].rgb.height)
        return pick(all, maxBytesPerFrame: datasetBytesLimit / 100_000 * pixels / (640 * 480))
    }

    /// The chapter's upper bound for 100K frames at 640×480 (Exercise 1: 40–60 GB).
    public static let datasetBytesLimit = 60e9

    /// The choice among timed candidates (pure): every combination of one candidate per kind; the same among
    /// the libraries' candidates alone for `librarySettings`.
    static func pick(_ all: [Kind: [Candidate]], maxBytesPerFrame: Double) -> Choice {
        let libraries = all.mapValues { $0.filter { $0.settings.encoder != .runs } }
        return Choice(settings: fastest(all, maxBytesPerFrame: maxBytesPerFrame),
                      librarySettings: fastest(libraries, maxBytesPerFrame: maxBytesPerFrame), candidates: all)
    }

    static func fastest(_ all: [Kind: [Candidate]], maxBytesPerFrame: Double) -> [Kind: PNGSettings] {
        let kinds = Kind.allCases
        var combos: [[Candidate]] = [[]]
        for k in kinds { combos = combos.flatMap { c in (all[k] ?? []).map { c + [$0] } } }
        func ms(_ c: [Candidate]) -> Double { c.map(\.msPerImage).reduce(0, +) }
        func bytes(_ c: [Candidate]) -> Double { c.map(\.bytesPerImage).reduce(0, +) }
        let smallest = combos.map(bytes).min() ?? 0
        var eligible = combos.filter { bytes($0) <= smallest * sizeBand && bytes($0) <= maxBytesPerFrame }
        if eligible.isEmpty { eligible = combos.filter { bytes($0) <= smallest * sizeBand } }
        let fastest = eligible.map(ms).min() ?? 0
        let taken = eligible.filter { ms($0) <= fastest * 1.03 }.min { (bytes($0), ms($0)) < (bytes($1), ms($1)) } ?? []
        var settings: [Kind: PNGSettings] = [:]
        for (k, c) in zip(kinds, taken) { settings[k] = c.settings }
        return settings
    }

    @discardableResult
    static func encode(_ f: Frame, _ kind: Kind, _ s: PNGSettings, _ encoder: PNGEncoder) throws -> Int {
        switch kind {
        case .rgb:
            return try f.rgb.bytes.withUnsafeBufferPointer {
                try encoder.encode($0, width: f.rgb.width, height: f.rgb.height, channels: 3, settings: s).count }
        case .depth:
            return try f.depth.words.withUnsafeBufferPointer {
                try encoder.encode($0, width: f.depth.width, height: f.depth.height, channels: 1, settings: s).count }
        case .mask:
            return try f.mask.words.withUnsafeBufferPointer {
                try encoder.encode($0, width: f.mask.width, height: f.mask.height, channels: 1, settings: s).count }
        }
    }

    /// Frames encoded (cycling through `frames`) on `lanes` threads with `settings` per kind, and the seconds they
    /// took: at least `jobs.least` frames, then more until `figureSeconds` have passed, at most `jobs.most`. Every
    /// frame handed out is finished before the clock stops.
    static func throughput(_ frames: [Frame], jobs: (least: Int, most: Int), lanes: Int,
                           settings: @escaping @Sendable (Kind) -> PNGSettings) throws -> Figure {
        let perKind = Kind.allCases.map(settings)
        final class Queue: @unchecked Sendable {
            let lock = NSLock()
            let least: Int, most: Int, start: Double
            var next = 0
            var failure: Error?
            init(least: Int, most: Int, start: Double) { self.least = least; self.most = most; self.start = start }
            /// The next frame to encode, or nil when enough are handed out.
            func take() -> Int? {
                lock.lock(); defer { lock.unlock() }
                if failure != nil || next >= most { return nil }
                if next >= least && monotonicSeconds() - start >= EncodeCeiling.figureSeconds { return nil }
                next += 1
                return next - 1
            }
            func fail(_ e: Error) { lock.lock(); failure = e; lock.unlock() }
        }
        let start = monotonicSeconds()
        let queue = Queue(least: jobs.least, most: jobs.most, start: start)
        let group = DispatchGroup()
        for _ in 0..<max(1, lanes) {
            group.enter()
            let t = Thread {
                let encoder = PNGEncoder()
                while let i = queue.take() {
                    let f = frames[i % frames.count]
                    do { for (k, kind) in Kind.allCases.enumerated() { try encode(f, kind, perKind[k], encoder) } }
                    catch { queue.fail(error) }
                }
                group.leave()
            }
            t.start()
        }
        group.wait()
        let seconds = monotonicSeconds() - start
        if let failure = queue.failure { throw failure }
        return Figure(frames: queue.next, seconds: seconds)
    }

    /// Decodes up to `maxFrames` frames as the generator writes them: RGB 8-bit × 3, depth and mask 16-bit × 1
    /// (anything else would be encoded with the wrong layout).
    static func load(directory: String, maxFrames: Int) throws -> [Frame] {
        let manifest = try Manifest.read(path: directory + "/" + DatasetLayout.manifest)
        let frames = Array(manifest.frameRange.prefix(maxFrames))
        guard !frames.isEmpty else { throw GeneratorError.badInput(directory, "dataset has no frames") }
        let pixels = declaredPixels(manifest)
        let load = { (name: String, bits: Int, channels: Int) -> PNGImage in
            let path = directory + "/" + name
            let img: PNGImage
            do { img = try PNG.decode(FileIO.readAll(path), maxPixels: pixels) }
            catch let e as PNGError { throw GeneratorError.badInput(path, "not a readable PNG: \(e)") }
            guard img.bitDepth == bits, img.channels == channels else {
                throw GeneratorError.badInput(path, "\(img.bitDepth)-bit, \(img.channels) channel(s): expected \(bits)-bit, \(channels) channel(s)")
            }
            return img
        }
        return try frames.map { f in
            Frame(rgb: try load(DatasetLayout.rgb(f), 8, 3), depth: try load(DatasetLayout.depth(f), 16, 1),
                  mask: try load(DatasetLayout.mask(f), 16, 1))
        }
    }

    /// Pixels per frame the manifest's config declares (a PNG declaring more is refused before decoding).
    static func declaredPixels(_ m: Manifest) -> Int {
        guard let c = try? JSONSerialization.jsonObject(with: Data(m.configJSON.utf8)) as? [String: Any],
              let image = c["image"] as? [String: Any], let w = image["width"] as? Int, let h = image["height"] as? Int,
              let n = InputLimits.pixels(width: w, height: h) else { return InputLimits.imagePixels }
        return n
    }
}
