import COCO
import DatasetFormat
import Foundation
import Support

/// Everything the audit keeps of one declared parameter after streaming the log: its numeric columns and
/// its problem counters.
final class ParameterColumns {
    let spec: DeclaredParameter
    let nameBytes: [UInt8]
    let categoryBytes: [[UInt8]]
    let categories: [String]
    let itemized: Bool
    /// One column per component. Non-repeated parameters: one value per unit (frame for frame scope, episode
    /// for episode scope), aligned with the scan's rows or episodes. Repeated parameters: the items of every
    /// unit, pooled. Categories are coded as their index in the declared values (-1: not declared). NaN marks
    /// a value that was null, non-finite, missing or of the wrong type.
    var columns: [[Double]]

    // Problems, counted once per unit (frame, or episode for episode scope).
    var nonFinite = 0
    var outOfRange = 0
    var notConstant = 0
    var wrongType = 0
    var wrongShape = 0
    var missing = 0
    /// Frames of an episode whose value differs from the episode's first frame (episode scope only).
    var inconsistent = 0
    var notes: [String] = []
    var minSeen = Double.infinity, maxSeen = -Double.infinity

    // Per-line scratch.
    var leaves: [Double] = []
    var items = 0
    var present = false
    var shapeOK = true
    var lineNonFinite = 0
    var lineWrongType = 0
    var previous: [Double] = []

    init(_ spec: DeclaredParameter) {
        self.spec = spec
        nameBytes = Array(spec.name.utf8)
        categories = spec.distribution.categories
        categoryBytes = categories.map { Array($0.utf8) }
        itemized = spec.repeats != .none
        columns = Array(repeating: [], count: spec.components)
        leaves.reserveCapacity(64)
    }

    func note(_ line: Int, _ text: String) {
        if notes.count < 3 { notes.append("line \(line): \(text)") }
    }

    /// Whether a finite numeric value is possible under the declaration.
    @inline(__always) func allowed(_ x: Double) -> Bool {
        if let d = spec.domain, !d.contains(x) { return false }
        switch spec.distribution {
        case .uniform(let a, let b): return x >= a && x <= b
        case .integer(let a, let b): return x == x.rounded() && x >= Double(a) && x <= Double(b)
        case .normal: return true
        case .constant(.number(let v)): return x == v
        case .choice(_, let w): return x >= 0 && Int(x) < w.count && w[Int(x)] > 0
        case .constant(.text): return x == 0
        case .constant(.list): return false
        }
    }
}

/// Streams `randomization.jsonl` once (LineReader, constant memory per line) and keeps only numeric columns,
/// frame ids, a 64-bit hash per frame and per episode, and counters.
final class LogScan {
    let spec: DatasetSpec
    let path: String
    var params: [ParameterColumns]
    /// Frame id of each row (log line), in file order.
    var frameIds: [Int32] = []
    /// Episode unit (index into `episodeIds`) of each row.
    var rowEpisode: [Int32] = []
    /// Episode number of each episode unit, in order of first appearance.
    var episodeIds: [Int32] = []
    var frameHashes: [UInt64] = []
    var episodeHashes: [UInt64] = []
    /// One hash per episode unit of the content parameters' values on its frames (`Layouts`): its layout.
    var layoutHashes: [UInt64] = []
    /// Indices into `params` of the declared content parameters.
    let contentParams: Set<Int>
    var lines = 0

    // Frame bookkeeping against the manifest's frame_range.
    var seen: [UInt64]
    var repeatedIds = 0
    var outsideRange = 0
    var outOfOrder = 0
    var wrongEpisode = 0
    var wrongStep = 0
    var bookkeepingNotes: [String] = []
    var idNotes: [String] = []
    var undeclared: Set<String> = []

    private var currentEpisode = -1
    private var lastFrame = Int.min
    private let numObstacles: Int?

    init(spec: DatasetSpec) {
        self.spec = spec
        path = DatasetLayout.path(DatasetLayout.randomizationLog, in: spec.directory)
        params = spec.parameters.map(ParameterColumns.init)
        seen = Array(repeating: 0, count: (spec.frameRange.count + 63) / 64)
        numObstacles = spec.parameters.firstIndex { $0.name == "num_obstacles" }
        contentParams = Set(spec.parameters.indices.filter { Layouts.contentNames.contains(spec.parameters[$0].name) })
        let expected = min(spec.frameRange.count, 1 << 20)  // a reservation only: the log may be shorter than declared
        frameIds.reserveCapacity(expected)
        rowEpisode.reserveCapacity(expected)
        frameHashes.reserveCapacity(expected)
        for p in params where p.spec.scope == .frame && !p.itemized {
            for c in p.columns.indices { p.columns[c].reserveCapacity(expected) }
        }
    }

    /// Frames of the range that no log line names.
    var missingFromRange: Int {
        var present = 0
        for w in seen { present += w.nonzeroBitCount }
        return spec.frameRange.count - present
    }

    func inLog(_ frame: Int) -> Bool {
        guard spec.frameRange.contains(frame) else { return false }
        let i = frame - spec.frameRange.lowerBound
        return seen[i >> 6] & (1 << UInt64(i & 63)) != 0
    }

    func run() throws {
        guard FileIO.exists(path) else { throw InputError(file: path, message: "missing") }
        var lineNo = 0
        try LineReader(path: path).forEach { line, _, _ in
            lineNo += 1
            var text = line
            try text.withUTF8 { buf in
                var cur = JSONLineCursor(buf)
                do {
                    if cur.peek() < 0 { throw cur.fail("empty line (expected one JSON object per frame)") }
                    try self.parseLine(&cur, line: lineNo)
                } catch var e as InputError where e.file.isEmpty {
                    e.file = self.path
                    e.line = lineNo
                    throw e
                }
            }
        }
        lines = lineNo
    }

    // MARK: - one line

    private static let kFrame = Array("frame_id".utf8), kEpisode = Array("episode".utf8), kStep = Array("step".utf8),
                       kParams = Array("params".utf8)

    private func parseLine(_ cur: inout JSONLineCursor, line: Int) throws {
        try cur.expect(0x7B, "'{' (one JSON object per line)")
        var frame: Double?, episode: Double?, step: Double?
        var sawParams = false
        if cur.peek() != 0x7D {
            repeat {
                let key = try cur.string()
                try cur.expect(0x3A, "':'")
                if cur.equals(key, Self.kFrame) { frame = try integerField(&cur, "frame_id") }
                else if cur.equals(key, Self.kEpisode) { episode = try integerField(&cur, "episode") }
                else if cur.equals(key, Self.kStep) { step = try integerField(&cur, "step") }
                else if cur.equals(key, Self.kParams) {
                    guard cur.peek() == 0x7B else { throw cur.fail("'params' must be an object") }
                    try parseParams(&cur, line: line)
                    sawParams = true
                } else { try cur.skipValue() }
            } while try cur.more(close: 0x7D)
        } else { cur.pos += 1 }
        if cur.peek() >= 0 { throw cur.fail("unexpected \(cur.describe(cur.peek())) after the object") }
        guard let frame else { throw InputError(file: "", column: 1, message: "missing 'frame_id'") }
        guard sawParams else { throw InputError(file: "", column: 1, message: "missing 'params'") }
        try commit(frame: Int(frame), episode: episode.map { Int($0) }, step: step.map { Int($0) }, line: line)
    }

    private func integerField(_ cur: inout JSONLineCursor, _ name: String) throws -> Double {
        let at = cur.pos
        guard cur.peek() == 0x2D || (cur.peek() >= 0x30 && cur.peek() <= 0x39) else {
            throw cur.fail("'\(name)' must be a non-negative integer")
        }
        let x = try cur.number()
        guard x.isFinite, x >= 0, x == x.rounded(), x < 2e9 else {
            throw InputError(file: "", column: at + 1, message: "'\(name)' must be a non-negative integer below 2^31")
        }
        return x
    }

    private func parseParams(_ cur: inout JSONLineCursor, line: Int) throws {
        for p in params {
            p.leaves.removeAll(keepingCapacity: true)
            p.items = 0; p.present = false; p.shapeOK = true; p.lineNonFinite = 0; p.lineWrongType = 0
        }
        cur.pos += 1
        if cur.peek() == 0x7D { cur.pos += 1; return }
        var next = 0
        repeat {
            let key = try cur.string()
            try cur.expect(0x3A, "':'")
            var index = -1
            var escapedName: String? = nil   // an escaped key, decoded once
            if next < params.count && cur.equals(key, params[next].nameBytes) { index = next }
            else if let i = params.firstIndex(where: { cur.equals(key, $0.nameBytes) }) { index = i }
            else if key.escaped {
                let name = cur.decoded(key)
                escapedName = name
                index = params.firstIndex(where: { $0.spec.name == name }) ?? -1
            }
            if index < 0 {
                if undeclared.count < 20 { undeclared.insert(escapedName ?? cur.decoded(key)) }
                try cur.skipValue()
            } else {
                let p = params[index]
                if p.present {
                    // A repeated key: keep the first value, count a shape error.
                    p.shapeOK = false
                    try cur.skipValue()
                } else {
                    p.present = true
                    try value(&cur, p)
                }
                next = index + 1
            }
        } while try cur.more(close: 0x7D)
    }

    /// One parameter value, shaped as declared: scalar, vector of `components`, or a list of items.
    private func value(_ cur: inout JSONLineCursor, _ p: ParameterColumns) throws {
        let comps = p.spec.components
        if p.itemized {
            guard cur.peek() == 0x5B else { p.shapeOK = false; try cur.skipValue(); return }
            cur.pos += 1
            if cur.peek() == 0x5D { cur.pos += 1; return }
            repeat {
                if comps == 1 { try scalar(&cur, p) } else { try vector(&cur, p, comps) }
                p.items += 1
            } while try cur.more(close: 0x5D)
        } else if comps == 1 {
            try scalar(&cur, p)
        } else {
            try vector(&cur, p, comps)
        }
    }

    private func vector(_ cur: inout JSONLineCursor, _ p: ParameterColumns, _ comps: Int) throws {
        guard cur.peek() == 0x5B else {
            p.shapeOK = false
            try cur.skipValue()
            for _ in 0..<comps { p.leaves.append(.nan) }
            return
        }
        cur.pos += 1
        var k = 0
        if cur.peek() == 0x5D { cur.pos += 1 } else {
            repeat {
                if k < comps { try scalar(&cur, p) } else { p.shapeOK = false; try cur.skipValue() }
                k += 1
            } while try cur.more(close: 0x5D)
        }
        if k < comps {
            p.shapeOK = false
            for _ in k..<comps { p.leaves.append(.nan) }
        }
    }

    private func scalar(_ cur: inout JSONLineCursor, _ p: ParameterColumns) throws {
        let c = cur.peek()
        switch c {
        case 0x2D, 0x30...0x39, 0x4E, 0x49:
            let x = try cur.number()
            if p.categories.isEmpty {
                if !x.isFinite { p.lineNonFinite += 1 }
                p.leaves.append(x)
            } else {
                p.lineWrongType += 1
                p.leaves.append(.nan)
            }
        case 0x6E:
            try cur.literal("null")
            p.lineNonFinite += 1
            p.leaves.append(.nan)
        case 0x22:
            let r = try cur.string()
            if p.categories.isEmpty {
                p.lineWrongType += 1
                p.leaves.append(.nan)
            } else {
                var code = -1
                for (i, b) in p.categoryBytes.enumerated() where cur.equals(r, b) { code = i; break }
                if code < 0 && r.escaped { code = p.categories.firstIndex(of: cur.decoded(r)) ?? -1 }
                p.leaves.append(Double(code))
            }
        default:
            try cur.skipValue()
            p.lineWrongType += 1
            p.leaves.append(.nan)
        }
    }

    // MARK: - commit one frame

    @inline(__always) static func mix(_ h: UInt64, _ x: UInt64) -> UInt64 {
        var z = (h ^ x) &* 0x9E37_79B9_7F4A_7C15
        z ^= z >> 31
        z = z &* 0xBF58_476D_1CE4_E5B9
        return z ^ (z >> 29)
    }

    /// Takes in one parsed frame: its bookkeeping, its row, then each parameter's shape, hash, checks and columns.
    private func commit(frame: Int, episode: Int?, step: Int?, line: Int) throws {
        let e = frame / spec.framesPerEpisode
        checkBookkeeping(frame: frame, episode: episode, step: step, line: line)
        let newEpisode = appendRow(frame: frame, episode: e)
        let obstacles = obstacleCount()
        var frameHash: UInt64 = 0x5151_7A7A
        var episodeHash: UInt64 = 0xE915_0DE0
        var contentHash: UInt64 = 0xC0A7_E475
        for (k, p) in params.enumerated() {
            settleShape(p, obstacles: obstacles)
            let h = LogScan.hash(k, p.leaves)
            frameHash = LogScan.mix(frameHash, h)
            if contentParams.contains(k) { contentHash = LogScan.mix(contentHash, h) }
            if p.spec.scope == .episode { episodeHash = LogScan.mix(episodeHash, h) }
            if p.spec.scope == .frame || newEpisode {
                checkValues(p, line: line, obstacles: obstacles)
                appendColumns(p)
            } else {
                checkEpisodeConstant(p, line: line, episode: e)
            }
        }
        frameHashes.append(frameHash)
        if newEpisode { episodeHashes.append(episodeHash); layoutHashes.append(0x1A70_0715) }
        layoutHashes[layoutHashes.count - 1] = LogScan.mix(layoutHashes[layoutHashes.count - 1], contentHash)
    }

    /// Episode and step implied by the frame id, repeated ids, ids outside the frame range, order.
    private func checkBookkeeping(frame: Int, episode: Int?, step: Int?, line: Int) {
        let fpe = spec.framesPerEpisode
        let e = frame / fpe
        let index = frame % fpe
        if let episode, episode != e {
            wrongEpisode += 1
            if bookkeepingNotes.count < 3 { bookkeepingNotes.append("line \(line): frame \(frame) has episode \(episode), expected \(e)") }
        }
        if let step, step != (index + 1) * spec.renderEvery {
            wrongStep += 1
            if bookkeepingNotes.count < 3 { bookkeepingNotes.append("line \(line): frame \(frame) has step \(step), expected \((index + 1) * spec.renderEvery)") }
        }
        if spec.frameRange.contains(frame) {
            let i = frame - spec.frameRange.lowerBound
            if seen[i >> 6] & (1 << UInt64(i & 63)) != 0 {
                repeatedIds += 1
                if idNotes.count < 3 { idNotes.append("line \(line): frame_id \(frame) repeated") }
            }
            seen[i >> 6] |= 1 << UInt64(i & 63)
        } else {
            outsideRange += 1
            if idNotes.count < 3 { idNotes.append("line \(line): frame_id \(frame) outside frame_range [\(spec.frameRange.lowerBound), \(spec.frameRange.upperBound))") }
        }
        if lastFrame != Int.min && frame != lastFrame + 1 {
            outOfOrder += 1
        }
        lastFrame = frame
    }

    /// Appends the frame's row (and its episode, when it starts one); returns whether it starts an episode.
    private func appendRow(frame: Int, episode e: Int) -> Bool {
        let newEpisode = e != currentEpisode
        if newEpisode {
            currentEpisode = e
            episodeIds.append(Int32(clamping: e))
        }
        frameIds.append(Int32(clamping: frame))
        rowEpisode.append(Int32(episodeIds.count - 1))
        return newEpisode
    }

    /// The frame's num_obstacles when it is a usable count, else -1.
    private func obstacleCount() -> Int {
        if let k = numObstacles, params[k].leaves.count == 1 {
            let n = params[k].leaves[0]
            if n.isFinite && n >= 0 && n == n.rounded() && n < 1e6 { return Int(n) }
        }
        return -1
    }

    /// A missing parameter becomes NaN leaves of the expected shape; an itemized one with the wrong item count
    /// is marked.
    private func settleShape(_ p: ParameterColumns, obstacles: Int) {
        let expectedItems: Int
        switch p.spec.repeats {
        case .none: expectedItems = 1
        case .objects: expectedItems = spec.objectCount
        case .obstacles: expectedItems = obstacles
        }
        if !p.present {
            p.leaves.removeAll(keepingCapacity: true)
            for _ in 0..<(p.spec.components * max(expectedItems, 0)) { p.leaves.append(.nan) }
            p.items = max(expectedItems, 0)
        } else if !p.itemized {
            p.items = 1
        } else if p.items != expectedItems {
            p.shapeOK = false
        }
    }

    /// Hash of parameter k's leaves (bit patterns, count included).
    private static func hash(_ k: Int, _ leaves: [Double]) -> UInt64 {
        var h = UInt64(k) &+ 1
        h = mix(h, UInt64(leaves.count))
        for x in leaves { h = mix(h, x.bitPattern) }
        return h
    }

    /// At the first frame of a unit (every frame, or an episode's first): missing, non-finite, wrong type or
    /// shape, and values outside the declared distribution; the observed range.
    private func checkValues(_ p: ParameterColumns, line: Int, obstacles: Int) {
        if !p.present {
            p.missing += 1
            p.note(line, "missing")
        } else {
            if p.lineNonFinite > 0 { p.nonFinite += 1; p.note(line, "null or non-finite value") }
            if p.lineWrongType > 0 {
                p.wrongType += 1
                p.note(line, p.categories.isEmpty ? "expected numbers, found another type" : "expected category names, found another type")
            }
            if !p.shapeOK {
                p.wrongShape += 1
                let want: String
                switch p.spec.repeats {
                case .none: want = p.spec.components == 1 ? "a scalar" : "\(p.spec.components) components"
                case .objects: want = "\(spec.objectCount) items (one per object)"
                case .obstacles: want = obstacles >= 0 ? "\(obstacles) items (num_obstacles)" : "one item per obstacle"
                }
                p.note(line, "expected \(want)")
            }
        }
        var bad = false
        var badValue = 0.0
        for x in p.leaves where x.isFinite {
            if x < p.minSeen { p.minSeen = x }
            if x > p.maxSeen { p.maxSeen = x }
            if !p.allowed(x) { bad = true; badValue = x }
        }
        if bad {
            let shown = p.categories.isEmpty ? fmt(badValue) : (badValue < 0 ? "an undeclared category" : "'\(p.categories[Int(badValue)])'")
            if p.spec.distribution.isRandom {
                p.outOfRange += 1
                p.note(line, "\(shown) is outside the declared \(p.spec.distribution.text)")
            } else {
                p.notConstant += 1
                p.note(line, "\(shown) differs from the declared \(p.spec.distribution.text)")
            }
        }
    }

    /// Columns: items pooled per component (a short item is padded with NaN); an episode-scope value is kept to
    /// compare the episode's later frames with.
    private func appendColumns(_ p: ParameterColumns) {
        let comps = p.spec.components
        let n = p.leaves.count
        var i = 0
        if p.itemized {
            while i + comps <= n {
                for c in 0..<comps { p.columns[c].append(p.leaves[i + c]) }
                i += comps
            }
        } else {
            for c in 0..<comps { p.columns[c].append(c < n ? p.leaves[c] : .nan) }
        }
        if p.spec.scope == .episode {
            p.previous.removeAll(keepingCapacity: true)
            p.previous.append(contentsOf: p.leaves)
        }
    }

    /// A later frame of an episode repeats its episode-scope values bit for bit.
    private func checkEpisodeConstant(_ p: ParameterColumns, line: Int, episode e: Int) {
        var same = p.previous.count == p.leaves.count
        if same {
            for i in 0..<p.leaves.count where p.leaves[i].bitPattern != p.previous[i].bitPattern { same = false; break }
        }
        if !same {
            p.inconsistent += 1
            p.note(line, "episode-scope value changes within episode \(e)")
        }
    }
}
