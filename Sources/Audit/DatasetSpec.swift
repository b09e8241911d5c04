import COCO
import Foundation
import Support

/// Bad input to an audit: a missing, unreadable or malformed file. Names the file and, where known, the
/// line and column (1-based). The CLI maps it to exit status 2.
public struct AuditInputError: Error, CustomStringConvertible, Equatable, Sendable {
    public var file: String
    public var line: Int
    public var column: Int
    public var message: String

    public init(file: String, line: Int = 0, column: Int = 0, message: String) {
        self.file = file; self.line = line; self.column = column; self.message = message
    }

    public var description: String {
        var place = file
        if line > 0 { place += ":\(line)" }
        if line > 0 && column > 0 { place += ":\(column)" }
        return "\(place): \(message)"
    }
}

/// When a parameter is drawn.
public enum AuditScope: String, Sendable { case episode, frame }

/// How many items one draw has: one, one per target object, or one per obstacle (`num_obstacles`).
public enum AuditRepeat: String, Sendable {
    case none, objects
    case obstacles = "num_obstacles"
}

/// A distribution as the manifest declares it (docs/FORMATS.md, `config.parameters.*.distribution`).
public enum DeclaredDistribution: Sendable, Equatable {
    case uniform(min: Double, max: Double)
    /// Integers min...max, inclusive.
    case integer(min: Int, max: Int)
    /// Categories with normalized weights.
    case choice(values: [String], weights: [Double])
    case constantNumber(Double)
    case constantText(String)
    /// Normal(mean, std) truncated to the parameter's domain.
    case normal(mean: Double, std: Double)

    /// More than one value is possible.
    public var isRandom: Bool {
        switch self {
        case .constantNumber, .constantText: return false
        case .integer(let a, let b): return a != b
        case .choice(_, let w): return w.filter { $0 > 0 }.count > 1
        case .uniform, .normal: return true
        }
    }

    /// Values are category names.
    public var isCategorical: Bool {
        switch self {
        case .choice, .constantText: return true
        default: return false
        }
    }

    /// Continuous (tested with Kolmogorov–Smirnov and Anderson–Darling).
    public var isContinuous: Bool {
        switch self {
        case .uniform, .normal: return true
        default: return false
        }
    }

    /// The category names a categorical value is coded against (its index in this list).
    var categories: [String] {
        switch self {
        case .choice(let v, _): return v
        case .constantText(let s): return [s]
        default: return []
        }
    }

    var text: String {
        switch self {
        case .uniform(let a, let b): return "uniform \(fmt(a))–\(fmt(b))"
        case .integer(let a, let b): return "integer \(a)–\(b)"
        case .choice(let v, let w): return "choice " + zip(v, w).map { "\($0.0) \(fmt($0.1))" }.joined(separator: "/")
        case .constantNumber(let x): return "constant \(fmt(x))"
        case .constantText(let s): return "constant \(s)"
        case .normal(let m, let s): return "normal(\(fmt(m)), \(fmt(s))) truncated"
        }
    }
}

/// One parameter of the manifest's `config.parameters`.
public struct DeclaredParameter: Sendable {
    public var name: String
    public var group: String
    public var scope: AuditScope
    /// Components per item (3 for colours, 2 for positions, 1 for scalars).
    public var components: Int
    public var repeats: AuditRepeat
    /// The manifest's `randomized` flag (the audit trusts the distribution when they disagree).
    public var randomized: Bool
    public var distribution: DeclaredDistribution
    /// Valid numeric range (nil for categories, whose domain is [0, 0]).
    public var domain: ClosedRange<Double>?
    public var unit: String

    /// Name of component `c` for reports: `name` for scalars, `name[c]` for vectors.
    public func label(_ c: Int) -> String { components == 1 ? name : "\(name)[\(c)]" }
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

    public var manifestPath: String { (directory as NSString).appendingPathComponent("manifest.json") }

    func index(of name: String) -> Int? { parameters.firstIndex { $0.name == name } }

    /// Reads and checks `DIR/manifest.json`.
    public static func read(directory: String) throws -> DatasetSpec {
        let path = (directory as NSString).appendingPathComponent("manifest.json")
        guard FileIO.exists(path) else { throw AuditInputError(file: path, message: "missing (not a SynthBench dataset directory?)") }
        let root: JSONValue
        do {
            let reader = try JSONReader(path: path)
            root = try reader.readValue()
            try reader.finish()
        } catch let e as JSONSyntaxError {
            throw AuditInputError(file: path, line: e.line, column: e.column, message: "not valid JSON: \(e.message)")
        } catch let e as AuditInputError {
            throw e
        } catch {
            throw AuditInputError(file: path, message: "cannot read: \(error)")
        }
        func fail(_ field: String, _ message: String) -> AuditInputError {
            AuditInputError(file: path, message: "\(field): \(message)")
        }
        guard case .object = root else { throw fail("(top level)", "not a JSON object") }
        func int(_ v: JSONValue?, _ field: String) throws -> Int {
            guard let n = v?.number, let i = n.integer, let x = Int(exactly: i) else { throw fail(field, "missing or not an integer") }
            return x
        }
        func number(_ v: JSONValue?, _ field: String) throws -> Double {
            guard let x = v?.double, x.isFinite else { throw fail(field, "missing or not a finite number") }
            return x
        }
        func string(_ v: JSONValue?, _ field: String) throws -> String {
            guard let s = v?.string else { throw fail(field, "missing or not a string") }
            return s
        }
        guard let range = root["frame_range"]?.array, range.count == 2 else { throw fail("frame_range", "missing or not [first, end]") }
        let first = try int(range[0], "frame_range[0]"), end = try int(range[1], "frame_range[1]")
        guard first >= 0, end >= first else { throw fail("frame_range", "[\(first), \(end)] is not a range") }
        guard end <= InputLimits.frameIdEnd, end - first <= InputLimits.frames else {
            throw fail("frame_range", "[\(first), \(end)] is out of bounds (frame ids below \(InputLimits.frameIdEnd), "
                       + "at most \(InputLimits.frames) frames)")
        }
        guard let config = root["config"], config.object != nil else { throw fail("config", "missing or not an object") }
        let width = try int(config["image"]?["width"], "config.image.width")
        let height = try int(config["image"]?["height"], "config.image.height")
        guard width > 0, height > 0 else { throw fail("config.image", "width and height must be > 0") }
        guard InputLimits.pixels(width: width, height: height) != nil else {
            throw fail("config.image", "\(width)×\(height) is too large (at most \(InputLimits.imageSide) a side and "
                       + "\(InputLimits.imagePixels) pixels)")
        }
        let fpe = try int(config["episode"]?["frames"], "config.episode.frames")
        let every = try int(config["episode"]?["render_every"], "config.episode.render_every")
        guard fpe > 0, every > 0 else { throw fail("config.episode", "frames and render_every must be > 0") }
        guard fpe <= InputLimits.episodeFrames, every <= InputLimits.renderEvery else {
            throw fail("config.episode", "frames \(fpe) or render_every \(every) is above \(InputLimits.episodeFrames)")
        }
        guard let objects = config["objects"]?.array else { throw fail("config.objects", "missing or not a list") }
        guard let params = config["parameters"]?.object else { throw fail("config.parameters", "missing or not an object") }
        var declared: [DeclaredParameter] = []
        for (name, v) in params.members {
            let f = "config.parameters.\(name)"
            guard v.object != nil else { throw fail(f, "not an object") }
            guard let scope = AuditScope(rawValue: try string(v["scope"], f + ".scope")) else {
                throw fail(f + ".scope", "expected episode or frame")
            }
            let components = try int(v["components"], f + ".components")
            guard components >= 1 && components <= 64 else { throw fail(f + ".components", "expected 1...64") }
            guard let repeats = AuditRepeat(rawValue: try string(v["repeat"], f + ".repeat")) else {
                throw fail(f + ".repeat", "expected none, objects or num_obstacles")
            }
            var randomized = true
            if case .bool(let b)? = v["randomized"] { randomized = b } else { throw fail(f + ".randomized", "missing or not a boolean") }
            guard let d = v["distribution"], d.object != nil else { throw fail(f + ".distribution", "missing or not an object") }
            let df = f + ".distribution"
            let dist: DeclaredDistribution
            switch try string(d["kind"], df + ".kind") {
            case "uniform":
                let a = try number(d["min"], df + ".min"), b = try number(d["max"], df + ".max")
                guard a < b else { throw fail(df, "empty or inverted range [\(a), \(b)]") }
                dist = .uniform(min: a, max: b)
            case "integer":
                let a = try int(d["min"], df + ".min"), b = try int(d["max"], df + ".max")
                guard a <= b, let w = InputLimits.width(a, b), w < 10_000_000 else {
                    throw fail(df, "inverted or too wide range [\(a), \(b)] (at most 10000000 values)")
                }
                dist = .integer(min: a, max: b)
            case "choice":
                guard let vs = d["values"]?.array, !vs.isEmpty else { throw fail(df + ".values", "missing or empty") }
                let values = try vs.enumerated().map { try string($0.element, df + ".values[\($0.offset)]") }
                guard let ws = d["weights"]?.array, ws.count == values.count else {
                    throw fail(df + ".weights", "missing or not one weight per value")
                }
                let weights = try ws.enumerated().map { try number($0.element, df + ".weights[\($0.offset)]") }
                guard weights.allSatisfy({ $0 >= 0 }), weights.reduce(0, +) > 0 else { throw fail(df + ".weights", "negative or all zero") }
                guard Set(values).count == values.count else { throw fail(df + ".values", "repeated category") }
                let total = weights.reduce(0, +)
                dist = .choice(values: values, weights: weights.map { $0 / total })
            case "constant":
                switch d["value"] {
                case .string(let s)?: dist = .constantText(s)
                case .number(let n)? where n.value.isFinite: dist = .constantNumber(n.value)
                default: throw fail(df + ".value", "missing or not a finite number or a string")
                }
            case "normal":
                let m = try number(d["mean"], df + ".mean"), s = try number(d["std"], df + ".std")
                guard s > 0 else { throw fail(df + ".std", "must be > 0") }
                dist = .normal(mean: m, std: s)
            case let other:
                throw fail(df + ".kind", "unknown distribution '\(other)' (expected uniform, integer, choice, constant, normal)")
            }
            var domain: ClosedRange<Double>? = nil
            if !dist.isCategorical {
                guard let dv = v["domain"]?.array, dv.count == 2 else { throw fail(f + ".domain", "missing or not [low, high]") }
                let lo = try number(dv[0], f + ".domain[0]"), hi = try number(dv[1], f + ".domain[1]")
                guard lo <= hi else { throw fail(f + ".domain", "inverted") }
                domain = lo...hi
            }
            if case .normal(let m, _) = dist, let domain, !domain.contains(m) {
                throw fail(df + ".mean", "outside the domain")
            }
            declared.append(DeclaredParameter(name: name, group: v["group"]?.string ?? "", scope: scope,
                                              components: components, repeats: repeats, randomized: randomized,
                                              distribution: dist, domain: domain, unit: v["unit"]?.string ?? ""))
        }
        if declared.contains(where: { $0.repeats == .obstacles }) {
            guard let n = declared.first(where: { $0.name == "num_obstacles" }), n.components == 1, n.repeats == .none,
                  !n.distribution.isCategorical else {
                throw fail("config.parameters", "a parameter repeats per obstacle but num_obstacles is not a numeric scalar")
            }
            if n.scope == .frame && declared.contains(where: { $0.repeats == .obstacles && $0.scope == .episode }) {
                throw fail("config.parameters.num_obstacles", "per-episode obstacle parameters need an episode-scope num_obstacles")
            }
        }
        var unit: String? = nil
        var scale: Double? = nil
        if let depth = root["depth"]?.object {
            unit = depth["unit"]?.string
            if let s = depth["scale_to_m"]?.double, s.isFinite, s > 0 { scale = s }
        }
        if scale == nil, let u = unit { scale = Self.metres(perUnit: u) }
        var listed = Set<String>()
        if let files = root["files"]?.object { for m in files.members { listed.insert(m.key) } }
        return DatasetSpec(directory: directory, parameters: declared, width: width, height: height, framesPerEpisode: fpe,
                           renderEvery: every, objectCount: objects.count, frameRange: first..<end, depthUnit: unit,
                           depthScaleToMetres: scale, listedFiles: listed)
    }

    /// Metres per unit for the length units a depth image may declare.
    static func metres(perUnit u: String) -> Double? {
        switch u.lowercased() {
        case "mm", "millimetre", "millimetres", "millimeter", "millimeters": return 0.001
        case "cm", "centimetre", "centimetres", "centimeter", "centimeters": return 0.01
        case "m", "metre", "metres", "meter", "meters": return 1
        case "um", "µm", "micrometre", "micrometres", "micrometer", "micrometers": return 1e-6
        default: return nil
        }
    }
}

func fmt(_ x: Double) -> String {
    if !x.isFinite { return x.isNaN ? "nan" : (x > 0 ? "inf" : "-inf") }
    if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
    if abs(x) >= 1e-4 && abs(x) < 1e6 { return String(format: "%.4g", x) }
    return String(format: "%.3e", x)
}
