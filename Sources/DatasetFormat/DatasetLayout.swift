import Foundation

/// File names and directories of a dataset (docs/FORMATS.md): one place for every reader and writer.
public enum DatasetLayout {
    public static let annotations = "annotations.json"
    public static let randomizationLog = "randomization.jsonl"
    public static let manifest = "manifest.json"
    public static let stateDirectory = ".synthbench"
    public static let journal = ".synthbench/journal.tsv"
    public static let runFile = ".synthbench/run.json"
    public static let imageDirectories = ["rgb", "depth", "mask"]

    public static func rgb(_ frame: Int) -> String { String(format: "rgb/rgb_%06d.png", frame) }
    public static func depth(_ frame: Int) -> String { String(format: "depth/depth_%06d.png", frame) }
    public static func mask(_ frame: Int) -> String { String(format: "mask/mask_%06d.png", frame) }

    /// COCO image id of a frame (ids start at 1).
    public static func imageId(_ frame: Int) -> Int { frame + 1 }
    /// COCO annotation id of instance `instance` (1-based) of a frame: unique, and independent of sharding.
    public static func annotationId(frame: Int, instance: Int) -> Int { frame * 64 + instance }

    /// `directory/name`.
    public static func path(_ name: String, in directory: String) -> String {
        (directory as NSString).appendingPathComponent(name)
    }
}

/// A file's digest and size, as listed in the manifest.
public struct FileEntry: Equatable, Sendable {
    public var sha256: String
    public var bytes: Int
    public init(sha256: String, bytes: Int) { self.sha256 = sha256; self.bytes = bytes }
}

/// The version written into manifests and COCO headers.
public enum GeneratorVersion { public static let string = "0.1.0" }
