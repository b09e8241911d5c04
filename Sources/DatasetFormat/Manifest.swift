import Foundation
import Support

/// `manifest.json`: written last; lists every finished file with its SHA-256. Everything but `run` is
/// byte-identical for the same config and seed. `json` is the one writer, `read` (over `ManifestDocument`,
/// the one reader) reads back what the writer wrote.
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

    public init(seed: UInt64, totalFrames: Int, frameRange: Range<Int>, shard: (index: Int, count: Int), configJSON: String,
                configHash: String, files: [String: FileEntry], runJSON: String) {
        self.seed = seed; self.totalFrames = totalFrames; self.frameRange = frameRange; self.shard = shard
        self.configJSON = configJSON; self.configHash = configHash; self.files = files; self.runJSON = runJSON
    }

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

    /// The whole manifest: `head`, the file list in name order, and the closing braces.
    public var json: String {
        head + files.keys.sorted().map { Manifest.fileJSON($0, files[$0]!) }.joined(separator: ",") + Manifest.tail
    }

    /// The manifest's text up to its file list (the last member, so a writer may stream the list after this).
    public var head: String {
        let members = JSONText.object([
            ("tool", JSONText.string("synthbench")), ("version", JSONText.string(GeneratorVersion.string)),
            ("format", "2"), ("seed", String(seed)), ("frames", String(totalFrames)),
            ("frame_range", "[\(frameRange.lowerBound),\(frameRange.upperBound)]"),
            ("shard", JSONText.object([("index", String(shard.index)), ("count", String(shard.count))])),
            ("config_hash", JSONText.string(configHash)), ("config", configJSON),
            ("depth", Self.depthJSON), ("mask", Self.maskJSON), ("png", Self.pngJSON),
            ("run", runJSON),
        ])
        return members.dropLast() + ",\"files\":{"
    }

    /// What follows the file list.
    public static let tail = "}}\n"

    /// One member of the file list (members are separated by ",").
    public static func fileJSON(_ name: String, _ f: FileEntry) -> String {
        JSONText.string(name) + ":" + JSONText.object([("sha256", JSONText.string(f.sha256)), ("bytes", String(f.bytes))])
    }

    /// Reads a manifest back (`run` is not kept); errors name the file and the missing or malformed field.
    public static func read(path: String) throws -> Manifest {
        try read(ManifestDocument.read(path: path))
    }

    public static func read(_ doc: ManifestDocument) throws -> Manifest {
        let range = try doc.frameRange()
        return Manifest(seed: try doc.seed(), totalFrames: try doc.totalFrames(range: range), frameRange: range,
                        shard: try doc.shard(), configJSON: try doc.configText(),
                        configHash: try doc.string(doc["config_hash"], "config_hash"), files: try doc.files(), runJSON: "{}")
    }
}
