import Foundation
import Support
import YAMLInput
import Yams

/// The object categories SynthBench can drop; category ids follow this order (box = 1).
public let objectCategories = ["box", "sphere", "cylinder", "capsule"]

/// A fully resolved generator configuration: every parameter has an explicit distribution.
public struct GeneratorConfig: Sendable, Equatable {
    public var preset: String
    public var width: Int = 640
    public var height: Int = 480
    /// Sensor width in mm; the sensor height follows the image aspect ratio (square pixels).
    public var sensorWidthMM: Double = 36
    public var framesPerEpisode: Int = 8
    public var renderEvery: Int = 15
    public var physicsDt: Double = 0.01
    public var objects: [String] = objectCategories
    /// One distribution per parameter of `ParameterSpace.all`, by name.
    public var distributions: [String: Distribution]

    public static func == (a: GeneratorConfig, b: GeneratorConfig) -> Bool { a.canonicalJSON == b.canonicalJSON }

    /// Deterministic JSON of the resolved config (written to the manifest; its SHA-256 is the config hash).
    public var canonicalJSON: String {
        let params = ParameterSpace.all.map { spec -> (String, String) in
            let d = distributions[spec.name]!
            var fields: [(String, String)] = [
                ("group", JSONText.string(spec.group)), ("scope", JSONText.string(spec.scope.rawValue)),
                ("components", String(spec.components)), ("repeat", JSONText.string(spec.repeats.rawValue)),
                ("randomized", d.isRandom ? "true" : "false"), ("distribution", d.json),
                ("domain", JSONText.array([spec.domain.lowerBound, spec.domain.upperBound])),
            ]
            if !spec.unit.isEmpty { fields.append(("unit", JSONText.string(spec.unit))) }
            return (spec.name, JSONText.object(fields))
        }
        return JSONText.object([
            ("preset", JSONText.string(preset)),
            ("image", JSONText.object([("width", String(width)), ("height", String(height))])),
            ("camera", JSONText.object([("sensor_width_mm", JSONText.number(sensorWidthMM))])),
            ("episode", JSONText.object([("frames", String(framesPerEpisode)), ("render_every", String(renderEvery)),
                                         ("dt", JSONText.number(physicsDt))])),
            ("objects", "[" + objects.map(JSONText.string).joined(separator: ",") + "]"),
            ("parameters", JSONText.object(params)),
        ])
    }

    public var hash: String { SHA256.hex(Array(canonicalJSON.utf8)) }

    /// A preset. Every preset keeps the scene *content* of `full` (`ParameterSpec.isContent`: which objects,
    /// where they drop, their poses, the obstacles, the camera's viewpoint), so the same seed gives the same
    /// layouts under every preset; presets differ only in the *domain* parameters (appearance, lighting,
    /// materials, textures, lens, sensor, physics): `none` fixes every domain parameter at its nominal value,
    /// `light` randomizes lighting only, `full` randomizes all of them.
    public static func preset(_ name: String) throws -> GeneratorConfig {
        var d: [String: Distribution] = [:]
        for spec in ParameterSpace.all {
            let keep = spec.isContent || !spec.full.isRandom
            switch name {
            case "full": d[spec.name] = spec.full
            case "light": d[spec.name] = keep || spec.group == "lighting" ? spec.full : .constant(spec.nominal)
            case "none": d[spec.name] = keep ? spec.full : .constant(spec.nominal)
            default:
                throw InputError(file: "--preset", field: "preset", message: "unknown preset '\(name)' (expected none, light or full)")
            }
        }
        return GeneratorConfig(preset: name, distributions: d)
    }

    public static let presetNames = ["none", "light", "full"]

    /// Loads a YAML config file (through the YAML front end: size and nesting limits, positions in errors).
    /// Unknown keys, wrong types, empty or inverted ranges and values outside a parameter's domain are errors
    /// naming the file, line, column and field.
    public static func load(path: String) throws -> GeneratorConfig {
        try parse(yaml: SafeYAML.read(path: path, what: "config"), file: path)
    }

    public static func parse(yaml: String, file: String) throws -> GeneratorConfig {
        try ConfigReader(file: file).read(SafeYAML.compose(yaml, file: file))
    }
}

/// Walks the YAML node tree and builds a config, checking every key.
struct ConfigReader {
    let y: YAMLFields

    init(file: String) { y = YAMLFields(file: file) }

    func fail(_ node: Node?, _ field: String, _ message: String) -> InputError { y.fail(node, field, message) }

    func mapping(_ node: Node, _ field: String) throws -> [(String, Node, Node)] {
        try y.mapping(node, field).map { ($0.key, $0.keyNode, $0.value) }
    }

    func int(_ node: Node, _ field: String, min: Int, max: Int) throws -> Int { try y.int(node, field, min: min, max: max) }

    func double(_ node: Node, _ field: String) throws -> Double { try y.number(node, field) }

    func read(_ root: Node) throws -> GeneratorConfig {
        let top = try mapping(root, "")
        var config = try GeneratorConfig.preset("full")
        if let (_, _, v) = top.first(where: { $0.0 == "preset" }) {
            guard let name = v.string, GeneratorConfig.presetNames.contains(name) else {
                throw fail(v, "preset", "expected one of none, light, full")
            }
            config = try GeneratorConfig.preset(name)
        }
        for (key, keyNode, value) in top {
            switch key {
            case "preset": break
            case "image":
                for (k, kn, v) in try mapping(value, "image") {
                    switch k {
                    case "width": config.width = try int(v, "image.width", min: 16, max: 8192)
                    case "height": config.height = try int(v, "image.height", min: 16, max: 8192)
                    default: throw fail(kn, "image.\(k)", "unknown key (expected width, height)")
                    }
                }
            case "camera":
                for (k, kn, v) in try mapping(value, "camera") {
                    guard k == "sensor_width_mm" else { throw fail(kn, "camera.\(k)", "unknown key (expected sensor_width_mm)") }
                    let w = try double(v, "camera.sensor_width_mm")
                    guard w > 1 && w < 200 else { throw fail(v, "camera.sensor_width_mm", "\(w) is outside 1...200") }
                    config.sensorWidthMM = w
                }
            case "episode":
                for (k, kn, v) in try mapping(value, "episode") {
                    switch k {
                    case "frames": config.framesPerEpisode = try int(v, "episode.frames", min: 1, max: 10_000)
                    case "render_every": config.renderEvery = try int(v, "episode.render_every", min: 1, max: 10_000)
                    case "dt":
                        let dt = try double(v, "episode.dt")
                        guard dt >= 0.0005 && dt <= 0.05 else { throw fail(v, "episode.dt", "\(dt) is outside 0.0005...0.05") }
                        config.physicsDt = dt
                    default: throw fail(kn, "episode.\(k)", "unknown key (expected frames, render_every, dt)")
                    }
                }
            case "objects":
                guard case .sequence(let seq) = value, !seq.isEmpty else { throw fail(value, "objects", "expected a non-empty list of categories") }
                config.objects = try seq.map { n in
                    guard let s = n.string, objectCategories.contains(s) else {
                        throw fail(n, "objects", "expected one of \(objectCategories.joined(separator: ", "))")
                    }
                    return s
                }
                guard config.objects.count <= 64 else { throw fail(value, "objects", "at most 64 objects") }
            case "randomization":
                for (name, kn, v) in try mapping(value, "randomization") {
                    guard let spec = ParameterSpace.byName[name] else {
                        throw fail(kn, "randomization.\(name)", "unknown parameter")
                    }
                    config.distributions[name] = try distribution(v, spec: spec, field: "randomization.\(name)")
                }
            default:
                throw fail(keyNode, key, "unknown key (expected preset, image, camera, episode, objects, randomization)")
            }
        }
        return config
    }

    func distribution(_ node: Node, spec: ParameterSpec, field: String) throws -> Distribution {
        let entries = try mapping(node, field)
        guard let (kind, kindNode, arg) = entries.first(where: { $0.0 != "weights" }) else {
            throw fail(node, field, "expected one of uniform, integer, choice, constant, normal")
        }
        let allowed: Set<String> = kind == "choice" ? ["choice", "weights"] : [kind]
        if let extra = entries.first(where: { !allowed.contains($0.0) }) {
            throw fail(extra.1, "\(field).\(extra.0)", "unexpected key beside '\(kind)'")
        }
        let numeric = spec.categories.isEmpty
        func pair(_ n: Node) throws -> (Double, Double, Node, Node) {
            guard case .sequence(let s) = n, s.count == 2 else { throw fail(n, "\(field).\(kind)", "expected [low, high]") }
            return (try double(s[0], "\(field).\(kind)[0]"), try double(s[1], "\(field).\(kind)[1]"), s[0], s[1])
        }
        func inDomain(_ x: Double, _ n: Node, _ what: String) throws {
            guard spec.domain.contains(x) else {
                throw fail(n, what, "\(x) is outside the valid range \(spec.domain.lowerBound)...\(spec.domain.upperBound)")
            }
        }
        switch kind {
        case "uniform":
            guard numeric, !spec.isInteger else { throw fail(kindNode, field, "uniform is not allowed for this parameter") }
            let (a, b, na, nb) = try pair(arg)
            guard a < b else { throw fail(arg, "\(field).uniform", a == b ? "empty range [\(a), \(b)] (use constant)" : "inverted range [\(a), \(b)]") }
            try inDomain(a, na, "\(field).uniform[0]"); try inDomain(b, nb, "\(field).uniform[1]")
            return .uniform(min: a, max: b)
        case "integer":
            guard numeric, spec.isInteger else { throw fail(kindNode, field, "integer is only allowed for integer parameters") }
            guard case .sequence(let s) = arg, s.count == 2 else { throw fail(arg, "\(field).integer", "expected [low, high]") }
            let a = try int(s[0], "\(field).integer[0]", min: Int(spec.domain.lowerBound), max: Int(spec.domain.upperBound))
            let b = try int(s[1], "\(field).integer[1]", min: Int(spec.domain.lowerBound), max: Int(spec.domain.upperBound))
            guard a <= b else { throw fail(arg, "\(field).integer", "inverted range [\(a), \(b)]") }
            return .integer(min: a, max: b)
        case "normal":
            guard numeric, !spec.isInteger else { throw fail(kindNode, field, "normal is not allowed for this parameter") }
            let (m, s, nm, ns) = try pair(arg)
            try inDomain(m, nm, "\(field).normal[0]")
            guard s > 0 else { throw fail(ns, "\(field).normal[1]", "standard deviation must be > 0") }
            return .normal(mean: m, std: s)
        case "constant":
            if numeric {
                let x = spec.isInteger ? Double(try int(arg, "\(field).constant", min: Int(spec.domain.lowerBound), max: Int(spec.domain.upperBound)))
                                       : try double(arg, "\(field).constant")
                try inDomain(x, arg, "\(field).constant")
                return .constant(.number(x))
            }
            guard let s = arg.string, spec.categories.contains(s) else {
                throw fail(arg, "\(field).constant", "expected one of \(spec.categories.joined(separator: ", "))")
            }
            return .constant(.text(s))
        case "choice":
            guard !numeric else { throw fail(kindNode, field, "choice is only allowed for categorical parameters") }
            guard case .sequence(let s) = arg, !s.isEmpty else { throw fail(arg, "\(field).choice", "expected a non-empty list") }
            let values = try s.map { n -> String in
                guard let v = n.string, spec.categories.contains(v) else {
                    throw fail(n, "\(field).choice", "expected one of \(spec.categories.joined(separator: ", "))")
                }
                return v
            }
            guard Set(values).count == values.count else { throw fail(arg, "\(field).choice", "repeated category") }
            var weights = [Double](repeating: 1, count: values.count)
            if let (_, _, w) = entries.first(where: { $0.0 == "weights" }) {
                guard case .sequence(let ws) = w, ws.count == values.count else {
                    throw fail(w, "\(field).weights", "expected \(values.count) weights")
                }
                weights = try ws.enumerated().map { i, n in
                    let x = try double(n, "\(field).weights[\(i)]")
                    guard x >= 0 else { throw fail(n, "\(field).weights[\(i)]", "weights must be >= 0") }
                    return x
                }
                guard weights.reduce(0, +) > 0 else { throw fail(w, "\(field).weights", "weights sum to 0") }
            }
            return .choice(values: values, weights: weights)
        default:
            throw fail(kindNode, "\(field).\(kind)", "unknown distribution (expected uniform, integer, choice, constant, normal)")
        }
    }
}
