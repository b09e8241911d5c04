import DatasetFormat
import Foundation
import Randomization
import Support

extension Distribution {
    /// The declaration as reports print it.
    var text: String {
        switch self {
        case .uniform(let a, let b): return "uniform \(fmt(a))–\(fmt(b))"
        case .integer(let a, let b): return "integer \(a)–\(b)"
        case .choice(let v, let w): return "choice " + zip(v, w).map { "\($0.0) \(fmt($0.1))" }.joined(separator: "/")
        case .constant(.number(let x)): return "constant \(fmt(x))"
        case .constant(.text(let s)): return "constant \(s)"
        case .constant(let v): return "constant \(v.json)"
        case .normal(let m, let s): return "normal(\(fmt(m)), \(fmt(s))) truncated"
        }
    }
}

/// What the audit needs from `manifest.json`.
public struct DatasetSpec: Sendable {
    public var directory: String
    public var parameters: [DeclaredParameter]
    public var width: Int
    public var height: Int
    public var framesPerEpisode: Int
    public var renderEvery: Int
    public var objectCount: Int
    /// [first, end) of this directory's frames.
    public var frameRange: Range<Int>
    /// `depth.unit` as declared (nil when the manifest declares none).
    public var depthUnit: String?
    /// Metres per stored depth unit: from `depth.scale_to_m`, else from the unit name, else nil.
    public var depthScaleToMetres: Double?
    /// File names listed under `files`.
    public var listedFiles: Set<String>

    public var manifestPath: String { DatasetLayout.path(DatasetLayout.manifest, in: directory) }

    func index(of name: String) -> Int? { parameters.firstIndex { $0.name == name } }

    /// Reads and checks `DIR/manifest.json` (through DatasetFormat's one manifest reader).
    public static func read(directory: String) throws -> DatasetSpec {
        let doc = try ManifestDocument.read(path: DatasetLayout.path(DatasetLayout.manifest, in: directory))
        let range = try doc.frameRange()
        let config = try doc.config()
        let width = try doc.int(config["image"]?["width"], "config.image.width")
        let height = try doc.int(config["image"]?["height"], "config.image.height")
        guard width > 0, height > 0 else { throw doc.fail("config.image", "width and height must be > 0") }
        guard InputLimits.pixels(width: width, height: height) != nil else {
            throw doc.fail("config.image", "\(width)×\(height) is too large (at most \(InputLimits.imageSide) a side and "
                           + "\(InputLimits.imagePixels) pixels)")
        }
        let fpe = try doc.int(config["episode"]?["frames"], "config.episode.frames")
        let every = try doc.int(config["episode"]?["render_every"], "config.episode.render_every")
        guard fpe > 0, every > 0 else { throw doc.fail("config.episode", "frames and render_every must be > 0") }
        guard fpe <= InputLimits.episodeFrames, every <= InputLimits.renderEvery else {
            throw doc.fail("config.episode", "frames \(fpe) or render_every \(every) is above \(InputLimits.episodeFrames)")
        }
        guard let objects = config["objects"]?.array else { throw doc.fail("config.objects", "missing or not a list") }
        let declared = try doc.declaredParameters()
        var listed = Set<String>()
        if let files = doc["files"]?.object { for m in files.members { listed.insert(m.key) } }
        return DatasetSpec(directory: directory, parameters: declared, width: width, height: height, framesPerEpisode: fpe,
                           renderEvery: every, objectCount: objects.count, frameRange: range, depthUnit: doc.depthUnit,
                           depthScaleToMetres: doc.depthScaleToMetres, listedFiles: listed)
    }
}

func fmt(_ x: Double) -> String {
    if !x.isFinite { return x.isNaN ? "nan" : (x > 0 ? "inf" : "-inf") }
    if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
    if abs(x) >= 1e-4 && abs(x) < 1e6 { return String(format: "%.4g", x) }
    return String(format: "%.3e", x)
}
