import Foundation
import Randomization
import Support

/// `manifest.json`: written last; lists every finished file with its SHA-256. Everything but `run` is
/// byte-identical for the same config and seed.
public struct Manifest {
    public var seed: UInt64
    public var totalFrames: Int
    public var frameRange: Range<Int>
    /// 1-based shard index and shard count (1/1 for a whole run).
    public var shard: (index: Int, count: Int)
    public var configJSON: String
    public var configHash: String
    public var files: [String: FileEntry]
    /// Timings and settings of the run that produced the files (not part of the determinism promise).
    public var runJSON: String

    public static let depthJSON = JSONText.object([
        ("unit", JSONText.string("mm")), ("kind", JSONText.string("z-depth")), ("scale_to_m", "0.001"),
        ("no_hit", "0"), ("dtype", JSONText.string("uint16")),
    ])
    public static let maskJSON = JSONText.object([
        ("background", "0"), ("dtype", JSONText.string("uint16")),
        ("instances", JSONText.string("1..N: target objects in config order = COCO attributes.instance_id")),
        ("distractors", JSONText.string("1001+: unannotated obstacles")),
    ])
    public static var pngJSON: String {
        JSONText.object([("rgb", PNGSettings.rgb.manifestJSON), ("depth", PNGSettings.depth.manifestJSON),
                         ("mask", PNGSettings.mask.manifestJSON)])
    }

    public var json: String {
        let fileList = files.keys.sorted().map { name -> (String, String) in
            let f = files[name]!
            return (name, JSONText.object([("sha256", JSONText.string(f.sha256)), ("bytes", String(f.bytes))]))
        }
        return JSONText.object([
            ("tool", JSONText.string("synthbench")), ("version", JSONText.string(GeneratorVersion.string)),
            ("format", "2"), ("seed", String(seed)), ("frames", String(totalFrames)),
            ("frame_range", "[\(frameRange.lowerBound),\(frameRange.upperBound)]"),
            ("shard", JSONText.object([("index", String(shard.index)), ("count", String(shard.count))])),
            ("config_hash", JSONText.string(configHash)), ("config", configJSON),
            ("depth", Self.depthJSON), ("mask", Self.maskJSON), ("png", Self.pngJSON),
            ("run", runJSON), ("files", JSONText.object(fileList)),
        ]) + "\n"
    }

    /// Reads a manifest; errors name the file and the missing or malformed field.
    public static func read(path: String) throws -> Manifest {
        let bytes = try FileIO.readAll(path)
        guard let obj = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else {
            throw GeneratorError.badInput(path, "not a JSON object")
        }
        func field<T>(_ name: String, _ type: T.Type) throws -> T {
            guard let v = obj[name] as? T else { throw GeneratorError.badInput(path, "missing or malformed field '\(name)'") }
            return v
        }
        let range = try field("frame_range", [Int].self)
        let shard = try field("shard", [String: Int].self)
        guard range.count == 2, let si = shard["index"], let sc = shard["count"] else {
            throw GeneratorError.badInput(path, "malformed frame_range or shard")
        }
        guard range[0] >= 0, range[0] <= range[1], range[1] <= InputLimits.frameIdEnd, range[1] - range[0] <= InputLimits.frames else {
            throw GeneratorError.badInput(path, "frame_range [\(range[0]), \(range[1])] is not a range of frame ids below \(InputLimits.frameIdEnd) "
                                          + "(at most \(InputLimits.frames) frames)")
        }
        guard sc >= 1, sc <= InputLimits.frames, si >= 1, si <= sc else {
            throw GeneratorError.badInput(path, "shard: index \(si) of count \(sc) is not 1 ≤ index ≤ count")
        }
        _ = try field("config", [String: Any].self)
        let text = String(decoding: bytes, as: UTF8.self)
        guard let a = text.range(of: ",\"config\":"), let b = text.range(of: ",\"depth\":{", range: a.upperBound..<text.endIndex) else {
            throw GeneratorError.badInput(path, "field 'config' is not in SynthBench's manifest layout")
        }
        let configText = String(text[a.upperBound..<b.lowerBound])
        var files: [String: FileEntry] = [:]
        for (name, v) in try field("files", [String: Any].self) {
            guard let e = v as? [String: Any], let sha = e["sha256"] as? String, let bytes = e["bytes"] as? Int else {
                throw GeneratorError.badInput(path, "malformed entry files.\(name)")
            }
            files[name] = FileEntry(sha256: sha, bytes: bytes)
        }
        let seedText = "\(obj["seed"] ?? "")"
        guard let seed = UInt64(seedText) else { throw GeneratorError.badInput(path, "missing or malformed field 'seed'") }
        let total = try field("frames", Int.self)
        guard total >= range[1], total <= InputLimits.frameIdEnd else {
            throw GeneratorError.badInput(path, "frames \(total) is not at least the end of frame_range \(range[1]) (and below \(InputLimits.frameIdEnd))")
        }
        return Manifest(seed: seed, totalFrames: total,
                        frameRange: range[0]..<range[1], shard: (si, sc),
                        configJSON: configText,
                        configHash: try field("config_hash", String.self), files: files, runJSON: "{}")
    }
}
