import Support

/// All parameter values of one frame (episode-scope values repeated), in `ParameterSpace.all` order.
public struct FrameSample: Sendable {
    public let frameId: Int
    public let episode: Int
    /// Index of the frame within its episode.
    public let index: Int
    /// Physics step at which the frame is taken.
    public let step: Int
    public let values: [String: ParamValue]

    public subscript(_ name: String) -> ParamValue { values[name]! }
    public func number(_ name: String) -> Double { values[name]!.double }

    /// The line written to `randomization.jsonl` (no trailing newline).
    public var jsonLine: String {
        let params = ParameterSpace.all.map { ($0.name, values[$0.name]!.json) }
        return JSONText.object([("frame_id", String(frameId)), ("episode", String(episode)), ("step", String(step)),
                                ("params", JSONText.object(params))])
    }
}

/// Draws parameter values. A pure function of (seed, episode, frame): each parameter has its own
/// counter-based stream keyed by (seed, episode, frame or episode marker, parameter name), so values do not
/// depend on the order of calls, on other parameters' distributions, or on which thread asks.
public struct Sampler: Sendable {
    public let config: GeneratorConfig
    public let seed: UInt64

    public init(config: GeneratorConfig, seed: UInt64) { self.config = config; self.seed = seed }

    static let episodeMarker: UInt64 = 0xE915_0DE0_0000_0000

    static func nameHash(_ s: String) -> UInt64 {
        var h: UInt64 = 0xcbf29ce484222325
        for b in s.utf8 { h = (h ^ UInt64(b)) &* 0x100000001b3 }
        return h
    }

    /// Values of the episode-scope parameters of episode `k`.
    public func episode(_ k: Int) -> [String: ParamValue] {
        var out: [String: ParamValue] = [:]
        for spec in ParameterSpace.all where spec.scope == .episode {
            out[spec.name] = draw(spec, episode: k, tag: Self.episodeMarker, context: out)
        }
        return out
    }

    /// Frame `t` of episode `k`, given that episode's values (from `episode(k)`).
    public func frame(episode k: Int, index t: Int, episodeValues: [String: ParamValue]) -> FrameSample {
        var values = episodeValues
        for spec in ParameterSpace.all where spec.scope == .frame {
            values[spec.name] = draw(spec, episode: k, tag: UInt64(t), context: values)
        }
        return FrameSample(frameId: k * config.framesPerEpisode + t, episode: k, index: t,
                           step: (t + 1) * config.renderEvery, values: values)
    }

    func draw(_ spec: ParameterSpec, episode k: Int, tag: UInt64, context: [String: ParamValue]) -> ParamValue {
        let dist = config.distributions[spec.name]!
        var rng = CounterRNG(key: CounterRNG.key([seed, UInt64(k), tag, Self.nameHash(spec.name)]))
        let lo = spec.domain.lowerBound, hi = spec.domain.upperBound
        func item() -> ParamValue {
            if spec.components == 1 { return dist.sample(&rng, lower: lo, upper: hi) }
            return .list((0..<spec.components).map { _ in dist.sample(&rng, lower: lo, upper: hi) })
        }
        switch spec.repeats {
        case .none: return item()
        case .objects: return .list((0..<config.objects.count).map { _ in item() })
        case .obstacles:
            let n = Int(context["num_obstacles"]?.double ?? 0)
            return .list((0..<n).map { _ in item() })
        }
    }
}
