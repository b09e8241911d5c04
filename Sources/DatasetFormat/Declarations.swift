import COCO
import Randomization
import Support

/// One parameter as the manifest declares it under `config.parameters` (docs/FORMATS.md): Randomization's
/// scope, shape and distribution, as written by `GeneratorConfig.canonicalJSON` and read back here.
public struct DeclaredParameter: Sendable {
    public var name: String
    public var group: String
    public var scope: Scope
    /// Components per item (3 for colours, 2 for positions, 1 for scalars).
    public var components: Int
    public var repeats: Repeat
    /// The manifest's `randomized` flag (readers trust the distribution when they disagree).
    public var randomized: Bool
    /// As declared; `choice` weights normalized to sum 1.
    public var distribution: Distribution
    /// Valid numeric range (nil for categories).
    public var domain: ClosedRange<Double>?
    public var unit: String

    public init(name: String, group: String, scope: Scope, components: Int, repeats: Repeat, randomized: Bool,
                distribution: Distribution, domain: ClosedRange<Double>?, unit: String) {
        self.name = name; self.group = group; self.scope = scope; self.components = components; self.repeats = repeats
        self.randomized = randomized; self.distribution = distribution; self.domain = domain; self.unit = unit
    }

    /// Name of component `c` for reports: `name` for scalars, `name[c]` for vectors.
    public func label(_ c: Int) -> String { components == 1 ? name : "\(name)[\(c)]" }
}

extension Distribution {
    /// Values are category names.
    public var isCategorical: Bool {
        switch self {
        case .choice, .constant(.text): return true
        default: return false
        }
    }

    /// Continuous (uniform or normal).
    public var isContinuous: Bool {
        switch self {
        case .uniform, .normal: return true
        default: return false
        }
    }

    /// The category names a categorical value is coded against (its index in this list).
    public var categories: [String] {
        switch self {
        case .choice(let v, _): return v
        case .constant(.text(let s)): return [s]
        default: return []
        }
    }
}

extension ManifestDocument {
    /// `config.parameters`, checked: shapes, distributions (non-empty ranges, weights), domains, and the
    /// `num_obstacles` parameter that per-obstacle parameters count on.
    public func declaredParameters() throws -> [DeclaredParameter] {
        guard let params = try config()["parameters"]?.object else { throw fail("config.parameters", "missing or not an object") }
        var declared: [DeclaredParameter] = []
        for (name, v) in params.members {
            let f = "config.parameters.\(name)"
            guard v.object != nil else { throw fail(f, "not an object") }
            guard let scope = Scope(rawValue: try string(v["scope"], f + ".scope")) else {
                throw fail(f + ".scope", "expected episode or frame")
            }
            let components = try int(v["components"], f + ".components")
            guard components >= 1 && components <= 64 else { throw fail(f + ".components", "expected 1...64") }
            guard let repeats = Repeat(rawValue: try string(v["repeat"], f + ".repeat")) else {
                throw fail(f + ".repeat", "expected none, objects or num_obstacles")
            }
            guard case .bool(let randomized)? = v["randomized"] else { throw fail(f + ".randomized", "missing or not a boolean") }
            guard let d = v["distribution"], d.object != nil else { throw fail(f + ".distribution", "missing or not an object") }
            let dist = try distribution(d, f + ".distribution")
            var domain: ClosedRange<Double>? = nil
            if !dist.isCategorical {
                guard let dv = v["domain"]?.array, dv.count == 2 else { throw fail(f + ".domain", "missing or not [low, high]") }
                let lo = try number(dv[0], f + ".domain[0]"), hi = try number(dv[1], f + ".domain[1]")
                guard lo <= hi else { throw fail(f + ".domain", "inverted") }
                domain = lo...hi
            }
            if case .normal(let m, _) = dist, let domain, !domain.contains(m) {
                throw fail(f + ".distribution.mean", "outside the domain")
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
        return declared
    }

    /// One `distribution` object (`Distribution.json` is its writer).
    func distribution(_ d: JSONValue, _ df: String) throws -> Distribution {
        switch try string(d["kind"], df + ".kind") {
        case "uniform":
            let a = try number(d["min"], df + ".min"), b = try number(d["max"], df + ".max")
            guard a < b else { throw fail(df, "empty or inverted range [\(a), \(b)]") }
            return .uniform(min: a, max: b)
        case "integer":
            let a = try int(d["min"], df + ".min"), b = try int(d["max"], df + ".max")
            guard a <= b, let w = InputLimits.width(a, b), w < 10_000_000 else {
                throw fail(df, "inverted or too wide range [\(a), \(b)] (at most 10000000 values)")
            }
            return .integer(min: a, max: b)
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
            return .choice(values: values, weights: weights.map { $0 / total })
        case "constant":
            switch d["value"] {
            case .string(let s)?: return .constant(.text(s))
            case .number(let n)? where n.value.isFinite: return .constant(.number(n.value))
            default: throw fail(df + ".value", "missing or not a finite number or a string")
            }
        case "normal":
            let m = try number(d["mean"], df + ".mean"), s = try number(d["std"], df + ".std")
            guard s > 0 else { throw fail(df + ".std", "must be > 0") }
            return .normal(mean: m, std: s)
        case let other:
            throw fail(df + ".kind", "unknown distribution '\(other)' (expected uniform, integer, choice, constant, normal)")
        }
    }
}
