/// A fully specified continuous distribution, used as the null hypothesis of the EDF tests
/// (Kolmogorov–Smirnov, Anderson–Darling, Cramér–von Mises).
///
/// Parameters are fixed, not estimated from the sample: the p-values of the EDF tests assume this.
public enum ContinuousDistribution: Sendable, CustomStringConvertible {
    /// Uniform on [min, max]; requires min < max.
    case uniform(min: Double, max: Double)
    /// Normal with the given mean and standard deviation; requires sd > 0.
    case normal(mean: Double, sd: Double)
    /// Any continuous CDF. It must be non-decreasing with values in [0, 1]; `name` is used in
    /// descriptions only. Its survival function is taken as 1 − cdf, so upper-tail precision is
    /// limited to absolute 1e-16 (this matters only for Anderson–Darling with extreme samples).
    case custom(name: String, cdf: @Sendable (Double) -> Double)

    /// The cumulative distribution function P(X <= x).
    ///
    /// Accuracy: uniform is exact; normal evaluates GSL's `gsl_cdf_ugaussian_P` at (x − mean)/sd,
    /// as scipy does with `ndtr` (relative error near machine precision, also in the lower tail);
    /// custom is whatever the closure provides.
    public func cdf(_ x: Double) -> Double {
        switch self {
        case let .uniform(lo, hi):
            if x <= lo { return 0 }
            if x >= hi { return 1 }
            return (x - lo) / (hi - lo)
        case let .normal(mean, sd):
            return GSL.normalP((x - mean) / sd)
        case let .custom(_, cdf):
            return cdf(x)
        }
    }

    /// The survival function P(X > x) = 1 - cdf(x), computed directly for the built-in
    /// distributions so that it keeps full relative precision in the upper tail.
    public func sf(_ x: Double) -> Double {
        switch self {
        case let .uniform(lo, hi):
            if x <= lo { return 1 }
            if x >= hi { return 0 }
            return (hi - x) / (hi - lo)
        case let .normal(mean, sd):
            return GSL.normalQ((x - mean) / sd)
        case let .custom(_, cdf):
            return 1 - cdf(x)
        }
    }

    /// Throws `StatsError.invalidArgument` for impossible parameters.
    public func validate() throws {
        switch self {
        case let .uniform(lo, hi):
            guard lo.isFinite, hi.isFinite, lo < hi else {
                throw StatsError.invalidArgument("uniform requires finite min < max, got [\(lo), \(hi)]")
            }
        case let .normal(mean, sd):
            guard mean.isFinite, sd.isFinite, sd > 0 else {
                throw StatsError.invalidArgument("normal requires finite mean and sd > 0, got (\(mean), \(sd))")
            }
        case .custom:
            break
        }
    }

    public var description: String {
        switch self {
        case let .uniform(lo, hi): return "uniform(\(lo), \(hi))"
        case let .normal(mean, sd): return "normal(\(mean), \(sd))"
        case let .custom(name, _): return name
        }
    }
}

/// A fully specified distribution over integers, used as the null hypothesis of the chi-square
/// tests for integer or categorical parameters.
public enum DiscreteDistribution: Sendable, Hashable, CustomStringConvertible {
    /// Uniform over the integers lo...hi (inclusive); requires lo <= hi.
    case uniform(lo: Int, hi: Int)
    /// Categories 0..<weights.count with probabilities proportional to `weights`
    /// (non-negative, finite, positive sum).
    case categorical(weights: [Double])

    /// The support in increasing order: lo...hi, or 0..<weights.count.
    public var support: [Int] {
        switch self {
        case let .uniform(lo, hi): return lo <= hi ? Array(lo...hi) : []
        case let .categorical(weights): return Array(weights.indices)
        }
    }

    /// The probability of each support point, aligned with `support`. Exact up to one rounding
    /// (weights are divided by their sum).
    public func probabilities() throws -> [Double] {
        try validate()
        switch self {
        case let .uniform(lo, hi):
            let k = hi - lo + 1
            return [Double](repeating: 1 / Double(k), count: k)
        case let .categorical(weights):
            let total = weights.reduce(0, +)
            return weights.map { $0 / total }
        }
    }

    /// The expected count of each support point in `n` draws, aligned with `support`.
    public func expectedCounts(n: Int) throws -> [Double] {
        try probabilities().map { $0 * Double(n) }
    }

    /// P(X = value); 0 outside the support.
    public func probability(of value: Int) throws -> Double {
        let p = try probabilities()
        switch self {
        case let .uniform(lo, hi):
            return (lo...hi).contains(value) ? p[value - lo] : 0
        case .categorical:
            return p.indices.contains(value) ? p[value] : 0
        }
    }

    /// Position of `value` in `support`, or nil when outside it.
    func index(of value: Int) -> Int? {
        switch self {
        case let .uniform(lo, hi): return (lo...hi).contains(value) ? value - lo : nil
        case let .categorical(weights): return weights.indices.contains(value) ? value : nil
        }
    }

    /// Throws `StatsError.invalidArgument` for impossible parameters.
    public func validate() throws {
        switch self {
        case let .uniform(lo, hi):
            guard lo <= hi else { throw StatsError.invalidArgument("uniform requires lo <= hi, got \(lo)...\(hi)") }
            let (width, overflow) = hi.subtractingReportingOverflow(lo)
            guard !overflow, width < 100_000_000 else {
                throw StatsError.invalidArgument("uniform support \(lo)...\(hi) is too large for a chi-square test")
            }
        case let .categorical(weights):
            guard !weights.isEmpty else { throw StatsError.emptyInput("weights") }
            guard weights.allSatisfy({ $0.isFinite && $0 >= 0 }) else {
                throw StatsError.invalidArgument("weights must be finite and non-negative")
            }
            guard weights.reduce(0, +) > 0 else { throw StatsError.invalidArgument("weights sum to zero") }
        }
    }

    public var description: String {
        switch self {
        case let .uniform(lo, hi): return "uniform{\(lo)...\(hi)}"
        case let .categorical(weights): return "categorical\(weights)"
        }
    }
}
