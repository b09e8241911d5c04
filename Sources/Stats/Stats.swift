// Stats: statistical tests and intervals for auditing synthetic datasets.
//
// Everything public lives in the `Stats` namespace (static, pure functions over value types),
// plus the null-hypothesis descriptions `ContinuousDistribution` (uniform, normal, any CDF) and
// `DiscreteDistribution` (integer uniform, categorical). Tests return `TestResult`
// (statistic, pValue, effectSize?, degreesOfFreedom?, method); intervals return
// `ConfidenceInterval`. Invalid input throws `StatsError`; a GSL failure throws `GSLError`.
//
// One entry point per concern ("tested" = agreement with scipy 1.17 on the committed fixtures,
// relative unless stated; the required bound is 1e-6):
//
//   One-sample Kolmogorov–Smirnov     Stats.kolmogorovSmirnov(_:against:alternative:method:)
//       exact D_n distribution as scipy kstwo (Simard–L'Ecuyer) or Kolmogorov limit;
//       one-sided via the exact Smirnov distribution. Tested: D 1e-12, p 1e-11.
//   Two-sample Kolmogorov–Smirnov     Stats.kolmogorovSmirnov(_:_:method:)
//       two-sided; exact lattice-path p-value when max(n1, n2) ≤ 10 000, else asymptotic,
//       as scipy ks_2samp. Tested: D 1e-12, p 1e-11.
//   Anderson–Darling                  Stats.andersonDarling(_:against:)
//       A² vs scipy logcdf/logsf formula 1e-10; p-value from Marsaglia & Marsaglia (2004)
//       (no scipy equivalent; accurate to ~1e-3 absolute for n ≥ 5 by simulation).
//   Cramér–von Mises                  Stats.cramerVonMises(_:against:)
//       as scipy cramervonmises. Tested: W² 1e-12, p 1e-9 (1e-12 absolute for tiny p).
//   Chi-square goodness of fit        Stats.chiSquareGoodnessOfFit(observed:expectedProportions:ddof:lowExpected:minimumExpected:)
//       expected-count rule: flag, pool adjacent cells, or reject. Tested: χ² 1e-12, p 1e-10.
//   Integer / categorical parameters  Stats.discreteGoodnessOfFit(_:against:lowExpected:minimumExpected:)
//                                     Stats.discreteUniformTest(_:in:lowExpected:minimumExpected:)
//   Spearman rank correlation         Stats.spearman(_:_:alternative:)            ρ 1e-12, p 1e-10
//   Mann–Whitney U                    Stats.mannWhitneyU(_:_:alternative:method:continuityCorrection:)
//       exact (no ties, small) or normal with tie + continuity correction. U exact, p 1e-10.
//   Welch t                           Stats.welchTTest(_:_:alternative:)     t, df 1e-12, p 1e-10
//   Two-proportion z                  Stats.twoProportionZTest(successes1:trials1:successes2:trials2:alternative:)
//   Wilson score interval             Stats.wilsonInterval(successes:trials:confidence:)    1e-12
//   Bootstrap (percentile, BCa)       Stats.bootstrapInterval(sample:statistic:confidence:method:resamples:using:)
//                                     Stats.bootstrapInterval(sample:statistic:bootstrapDistribution:confidence:method:)
//       given scipy's bootstrap distribution, bounds agree to 1e-12.
//   Holm–Bonferroni                   Stats.holmAdjusted(_:), Stats.holmRejections(_:alpha:)
//   Average ranks                     Stats.averageRanks(_:)
//   Null distributions                Stats.kolmogorovSF(n:d:), Stats.smirnovSF(n:d:),
//                                     Stats.kolmogorovLimitSF(_:), Stats.andersonDarlingCDF(_:n:),
//                                     Stats.cramerVonMisesCDF(_:n:)
//
// The fixtures are produced by fixtures/stats/make_reference.py into
// fixtures/stats/reference.json; each function's documentation states its assumptions, the
// algorithm behind its p-value and the tolerance its test enforces.
//
// GSL (through the CGSL module and the single wrapper in GSL.swift) provides the normal,
// Student t and chi-square tails and quantiles, log-gamma, incomplete beta, Bessel K and sorting.

/// Namespace for all statistical tests, intervals and null distributions in this module.
///
/// All functions are pure: they depend only on their arguments (the bootstrap overload that draws
/// resamples takes the random number generator explicitly).
public enum Stats {}

/// The alternative hypothesis of a test.
///
/// For two-sample location tests, `.less` means the first sample tends to be smaller than the
/// second. For one-sample KS, `.less`/`.greater` follow scipy: `.greater` tests whether the
/// empirical CDF lies above the hypothesised CDF (statistic D⁺), `.less` whether it lies below (D⁻).
public enum Alternative: String, Sendable, Hashable, CaseIterable {
    case twoSided = "two-sided"
    case less
    case greater
}

/// How a p-value was obtained.
public enum PValueMethod: String, Sendable, Hashable {
    /// From the exact finite-sample null distribution (or an algorithm accurate to near double
    /// precision for it).
    case exact
    /// From a large-sample limiting distribution.
    case asymptotic
    /// From a documented finite-sample approximation (series or fitted correction).
    case approximate
}

/// Which test produced a result and how its p-value was computed.
public struct TestMethod: Sendable, Hashable, CustomStringConvertible {
    /// Human-readable test name, e.g. `"Kolmogorov–Smirnov (one sample)"`.
    public var test: String
    /// How the p-value was computed.
    public var pValue: PValueMethod
    /// The algorithm or reference for the p-value, e.g. `"Simard–L'Ecuyer (scipy kstwo)"`.
    public var detail: String

    public init(test: String, pValue: PValueMethod, detail: String) {
        self.test = test
        self.pValue = pValue
        self.detail = detail
    }

    public var description: String { "\(test) [\(pValue.rawValue): \(detail)]" }
}

/// The outcome of a hypothesis test.
public struct TestResult: Sendable, Hashable {
    /// The test statistic (its definition is given by each test's documentation).
    public var statistic: Double
    /// The p-value, clipped to [0, 1].
    public var pValue: Double
    /// An effect size where the test has a conventional one (documented per test), else `nil`.
    public var effectSize: Double?
    /// Degrees of freedom of the reference distribution, where it has them.
    public var degreesOfFreedom: Double?
    /// The test and the way its p-value was computed.
    public var method: TestMethod

    public init(statistic: Double, pValue: Double, effectSize: Double? = nil,
                degreesOfFreedom: Double? = nil, method: TestMethod) {
        self.statistic = statistic
        self.pValue = pValue
        self.effectSize = effectSize
        self.degreesOfFreedom = degreesOfFreedom
        self.method = method
    }
}

/// A two-sided (or one-sided, with an infinite bound) confidence interval.
public struct ConfidenceInterval: Sendable, Hashable {
    public var lower: Double
    public var upper: Double
    /// Nominal coverage, e.g. 0.95.
    public var confidence: Double
    /// The construction used, e.g. `"Wilson score"` or `"BCa bootstrap"`.
    public var method: String

    public init(lower: Double, upper: Double, confidence: Double, method: String) {
        self.lower = lower
        self.upper = upper
        self.confidence = confidence
        self.method = method
    }

    /// Whether `value` lies in the closed interval.
    public func contains(_ value: Double) -> Bool { lower <= value && value <= upper }
}

/// Invalid input to a statistics function. (Failures inside GSL are reported as `GSLError`.)
public enum StatsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A sample or table that must not be empty was empty. The payload names the argument.
    case emptyInput(String)
    /// Too few observations for the statistic to be defined.
    case tooFewObservations(String, needed: Int, got: Int)
    /// NaN or infinity where finite values are required.
    case nonFinite(String)
    /// All values are equal (or a variance is zero) so the statistic is undefined.
    case constantInput(String)
    /// An argument is out of range or inconsistent with another argument.
    case invalidArgument(String)
    /// An observation lies outside the support of the hypothesised discrete distribution.
    case outOfSupport(value: Int)

    public var description: String {
        switch self {
        case .emptyInput(let what): return "\(what) is empty"
        case .tooFewObservations(let what, let needed, let got):
            return "\(what) needs at least \(needed) observations, got \(got)"
        case .nonFinite(let what): return "\(what) contains NaN or infinite values"
        case .constantInput(let what): return "\(what) is constant; the statistic is undefined"
        case .invalidArgument(let why): return "invalid argument: \(why)"
        case .outOfSupport(let value): return "observation \(value) is outside the distribution's support"
        }
    }
}

// MARK: - Shared validation helpers

extension Stats {
    static func requireFinite(_ values: [Double], _ name: String, minCount: Int = 1) throws {
        if values.isEmpty { throw StatsError.emptyInput(name) }
        if values.count < minCount {
            throw StatsError.tooFewObservations(name, needed: minCount, got: values.count)
        }
        for v in values where !v.isFinite { throw StatsError.nonFinite(name) }
    }

    static func requireConfidence(_ confidence: Double) throws {
        guard confidence > 0, confidence < 1 else {
            throw StatsError.invalidArgument("confidence must be in (0, 1), got \(confidence)")
        }
    }

    @inline(__always) static func clip01(_ p: Double) -> Double { min(max(p, 0), 1) }

    /// p-value of a statistic whose null distribution is symmetric with the given tails.
    static func pValue(alternative: Alternative, upper: () throws -> Double,
                       lower: () throws -> Double) rethrows -> Double {
        switch alternative {
        case .greater: return clip01(try upper())
        case .less: return clip01(try lower())
        case .twoSided: return clip01(2 * min(try upper(), try lower()))
        }
    }
}
