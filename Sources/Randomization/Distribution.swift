import Support

/// A declared distribution of one scalar component. Every sample is drawn from a counter-based stream,
/// so it is a pure function of (seed, episode, frame, parameter, component).
public enum Distribution: Equatable, Sendable {
    /// Always `value` (a number or a category name).
    case constant(ParamValue)
    /// Continuous uniform on [min, max).
    case uniform(min: Double, max: Double)
    /// Integer uniform on min...max (inclusive).
    case integer(min: Int, max: Int)
    /// A category drawn with the given weights (normalized).
    case choice(values: [String], weights: [Double])
    /// Normal(mean, std) truncated to the parameter's domain (re-drawn until inside).
    case normal(mean: Double, std: Double)

    /// True when the distribution has more than one possible value.
    public var isRandom: Bool {
        switch self {
        case .constant: return false
        case .integer(let a, let b): return a != b
        case .choice(let v, let w): return zip(v, w).filter { $0.1 > 0 }.count > 1
        default: return true
        }
    }

    /// Draws one value. `lower`/`upper` truncate a normal to the parameter's domain.
    func sample(_ rng: inout CounterRNG, lower: Double, upper: Double) -> ParamValue {
        switch self {
        case .constant(let v): return v
        case .uniform(let a, let b): return .number(a + (b - a) * rng.unit())
        case .integer(let a, let b):
            let span = UInt64(b - a + 1)
            // Lemire-free unbiased draw: reject the top sliver.
            let limit = UInt64.max - UInt64.max % span
            var x = rng.next()
            while x >= limit { x = rng.next() }
            return .number(Double(a + Int(x % span)))
        case .choice(let values, let weights):
            let total = weights.reduce(0, +)
            let u = rng.unit() * total
            var acc = 0.0
            for (v, w) in zip(values, weights) {
                acc += w
                if u < acc && w > 0 { return .text(v) }
            }
            return .text(values[weights.lastIndex { $0 > 0 }!])
        case .normal(let m, let s):
            for _ in 0..<10_000 {
                let x = m + s * rng.normal()
                if x >= lower && x <= upper { return .number(x) }
            }
            return .number(Swift.min(Swift.max(m, lower), upper))
        }
    }

    /// Deterministic JSON of the declaration, as written to the manifest.
    public var json: String {
        switch self {
        case .constant(let v): return JSONText.object([("kind", JSONText.string("constant")), ("value", v.json)])
        case .uniform(let a, let b):
            return JSONText.object([("kind", JSONText.string("uniform")), ("min", JSONText.number(a)), ("max", JSONText.number(b))])
        case .integer(let a, let b):
            return JSONText.object([("kind", JSONText.string("integer")), ("min", String(a)), ("max", String(b))])
        case .choice(let v, let w):
            let total = w.reduce(0, +)
            return JSONText.object([("kind", JSONText.string("choice")),
                                    ("values", "[" + v.map(JSONText.string).joined(separator: ",") + "]"),
                                    ("weights", JSONText.array(w.map { $0 / total }))])
        case .normal(let m, let s):
            return JSONText.object([("kind", JSONText.string("normal")), ("mean", JSONText.number(m)), ("std", JSONText.number(s))])
        }
    }
}

/// A sampled value: a number, a category name, or a list (vector components or repeated items).
public enum ParamValue: Equatable, Sendable {
    case number(Double)
    case text(String)
    case list([ParamValue])

    public var json: String {
        switch self {
        case .number(let x): return JSONText.number(x)
        case .text(let s): return JSONText.string(s)
        case .list(let xs): return "[" + xs.map(\.json).joined(separator: ",") + "]"
        }
    }

    public var double: Double {
        if case .number(let x) = self { return x }
        return .nan
    }
    public var text: String {
        if case .text(let s) = self { return s }
        return ""
    }
    public var list: [ParamValue] {
        if case .list(let xs) = self { return xs }
        return [self]
    }
    /// Components of a vector value as doubles.
    public var vector: [Double] { list.map(\.double) }
}
