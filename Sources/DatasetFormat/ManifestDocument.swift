import COCO
import Foundation
import Support

/// `manifest.json` as read back: the one reader of the file. It parses the document once (COCO's streaming
/// JSON reader: positions in syntax errors, bounded nesting) and gives checked access to its fields; every
/// error is an `InputError` naming the file and the field.
public struct ManifestDocument {
    public let path: String
    public let root: JSONObject
    /// The file's text, for the fields kept verbatim (`config`, `seed`).
    let text: String

    /// Manifests above this size are refused (a generated one lists three files per frame: about 300 bytes).
    public static let byteLimit = 1 << 36

    /// Reads and parses `path`; errors say whether it is missing, unreadable, too large or not a JSON object.
    public static func read(path: String, byteLimit: Int = byteLimit) throws -> ManifestDocument {
        guard FileIO.exists(path) else { throw InputError(file: path, message: "missing (not a SynthBench dataset directory?)") }
        let bytes: [UInt8]
        do { bytes = try FileIO.readAll(path) } catch { throw InputError(file: path, message: "cannot read: \(error)") }
        if bytes.count > byteLimit {
            throw InputError(file: path, message: "manifest is \(bytes.count) bytes, over the limit of \(byteLimit) bytes; refused")
        }
        return try parse(bytes, path: path)
    }

    /// Parses manifest bytes read elsewhere (`path` names them in errors; a syntax error gives its line and column).
    public static func parse(_ bytes: [UInt8], path: String) throws -> ManifestDocument {
        let reader = JSONReader(bytes: bytes, file: path)
        let value = try reader.readValue()
        try reader.finish()
        guard case .object(let root) = value else { throw InputError(file: path, field: "(top level)", message: "not a JSON object") }
        return ManifestDocument(path: path, root: root, text: String(decoding: bytes, as: UTF8.self))
    }

    public func fail(_ field: String, _ message: String) -> InputError { InputError(file: path, field: field, message: message) }

    public subscript(key: String) -> JSONValue? { root[key] }

    // MARK: - Typed fields

    /// An integer literal (within Int64); `field` names it in the error.
    public func int(_ v: JSONValue?, _ field: String) throws -> Int {
        guard let i = v?.number?.integer, let x = Int(exactly: i) else { throw fail(field, "missing or not an integer") }
        return x
    }

    public func number(_ v: JSONValue?, _ field: String) throws -> Double {
        guard let x = v?.double, x.isFinite else { throw fail(field, "missing or not a finite number") }
        return x
    }

    public func string(_ v: JSONValue?, _ field: String) throws -> String {
        guard let s = v?.string else { throw fail(field, "missing or not a string") }
        return s
    }

    /// An integer-valued number (a literal such as `12` or `12.0`), else nil: the lenient reading of optional fields.
    public static func integer(_ v: JSONValue?) -> Int? {
        guard let n = v?.number else { return nil }
        if let i = n.integer { return Int(exactly: i) }
        guard n.value.isFinite, n.value == n.value.rounded(), abs(n.value) < 9.0e18 else { return nil }
        return Int(n.value)
    }

    /// `frame_range`: [first, end) of the directory's frames, within `InputLimits`.
    public func frameRange() throws -> Range<Int> {
        guard let range = root["frame_range"]?.array, range.count == 2 else { throw fail("frame_range", "missing or not [first, end]") }
        let first = try int(range[0], "frame_range[0]"), end = try int(range[1], "frame_range[1]")
        guard first >= 0, end >= first else { throw fail("frame_range", "[\(first), \(end)] is not a range") }
        guard end <= InputLimits.frameIdEnd, end - first <= InputLimits.frames else {
            throw fail("frame_range", "[\(first), \(end)] is out of bounds (frame ids below \(InputLimits.frameIdEnd), "
                       + "at most \(InputLimits.frames) frames)")
        }
        return first..<end
    }

    /// `frames`: the whole run's frame count (at least the end of `frame_range`).
    public func totalFrames(range: Range<Int>) throws -> Int {
        let total = try int(root["frames"], "frames")
        guard total >= range.upperBound, total <= InputLimits.frameIdEnd else {
            throw fail("frames", "\(total) is not at least the end of frame_range \(range.upperBound) (and below \(InputLimits.frameIdEnd))")
        }
        return total
    }

    /// `shard`: 1-based index and count.
    public func shard() throws -> (index: Int, count: Int) {
        guard let s = root["shard"], s.object != nil else { throw fail("shard", "missing or not an object") }
        let index = try int(s["index"], "shard.index"), count = try int(s["count"], "shard.count")
        guard count >= 1, count <= InputLimits.frames, index >= 1, index <= count else {
            throw fail("shard", "index \(index) of count \(count) is not 1 ≤ index ≤ count")
        }
        return (index, count)
    }

    /// `seed`, exact over the whole UInt64 range (read from its literal).
    public func seed() throws -> UInt64 {
        guard let n = root["seed"]?.number, n.isIntegerLiteral, let literal = verbatim("seed", before: "frames"),
              let seed = UInt64(literal) else { throw fail("seed", "missing or not an unsigned 64-bit integer") }
        if let i = n.integer, UInt64(exactly: i) != seed { throw fail("seed", "missing or not an unsigned 64-bit integer") }
        return seed
    }

    /// `config` as an object.
    public func config() throws -> JSONValue {
        guard let c = root["config"], c.object != nil else { throw fail("config", "missing or not an object") }
        return c
    }

    /// The text of `config` exactly as written (its bytes are hashed into `config_hash`).
    public func configText() throws -> String {
        _ = try config()
        guard let t = verbatim("config", before: "depth") else { throw fail("config", "not in SynthBench's manifest layout") }
        return t
    }

    /// `files`: every listed entry, checked.
    public func files() throws -> [String: FileEntry] {
        guard let files = root["files"]?.object else { throw fail("files", "missing or not an object") }
        var out: [String: FileEntry] = [:]
        for m in files.members {
            guard let sha = m.value["sha256"]?.string, let n = m.value["bytes"]?.number?.integer, let bytes = Int(exactly: n), bytes >= 0 else {
                throw fail("files.\(m.key)", "malformed entry (expected sha256 and bytes)")
            }
            out[m.key] = FileEntry(sha256: sha, bytes: bytes)
        }
        return out
    }

    /// The well-formed entries of `files`, in name order (malformed ones are skipped): the lenient reading.
    public func listedFiles() -> [(name: String, entry: FileEntry)] {
        guard let files = root["files"]?.object else { return [] }
        var out: [(String, FileEntry)] = []
        for m in files.members {
            guard let sha = m.value["sha256"]?.string, let bytes = Self.integer(m.value["bytes"]) else { continue }
            out.append((m.key, FileEntry(sha256: sha, bytes: bytes)))
        }
        return out.sorted { $0.0 < $1.0 }
    }

    /// `depth.unit`, when declared.
    public var depthUnit: String? { root["depth"]?["unit"]?.string }

    /// Metres per stored depth unit: `depth.scale_to_m` when positive, else from the unit's name, else nil.
    public var depthScaleToMetres: Double? {
        if let s = root["depth"]?["scale_to_m"]?.double, s.isFinite, s > 0 { return s }
        return depthUnit.flatMap(Self.metres(perUnit:))
    }

    /// Metres per unit for the length units a depth image may declare.
    public static func metres(perUnit u: String) -> Double? {
        switch u.lowercased() {
        case "mm", "millimetre", "millimetres", "millimeter", "millimeters": return 0.001
        case "cm", "centimetre", "centimetres", "centimeter", "centimeters": return 0.01
        case "m", "metre", "metres", "meter", "meters": return 1
        case "um", "µm", "micrometre", "micrometres", "micrometer", "micrometers": return 1e-6
        default: return nil
        }
    }

    /// The raw text of the top-level member `key` when the writer's layout is kept (`"key":…` followed by
    /// `,"next":`); nil otherwise.
    func verbatim(_ key: String, before next: String) -> String? {
        guard let a = text.range(of: ",\"\(key)\":"), let b = text.range(of: ",\"\(next)\":", range: a.upperBound..<text.endIndex) else {
            return nil
        }
        return String(text[a.upperBound..<b.lowerBound])
    }
}
