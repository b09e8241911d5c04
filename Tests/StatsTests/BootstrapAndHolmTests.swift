import Foundation
import Testing
@testable import Stats

/// numpy-equivalent statistics used by the bootstrap fixtures.
private func statistic(named name: String) -> ([Double]) -> Double {
    switch name {
    case "mean":
        return { $0.reduce(0, +) / Double($0.count) }
    case "median":
        return { values in
            let s = values.sorted()
            let n = s.count
            return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2
        }
    case "std":
        return { Stats.meanAndVariance($0).variance.squareRoot() }
    default:
        fatalError("unknown statistic \(name)")
    }
}

@Suite("Bootstrap intervals and Holm–Bonferroni")
struct BootstrapAndHolmTests {
    /// scipy.stats.bootstrap's own bootstrap distribution is replayed, so the interval must match
    /// scipy's to rounding.
    @Test("percentile and BCa intervals (scipy bootstrap)", arguments: Reference.shared.bootstrap)
    func bootstrap(_ c: BootstrapCase) throws {
        let r = try Stats.bootstrapInterval(sample: c.sample, statistic: statistic(named: c.statistic),
                                            bootstrapDistribution: c.distribution, confidence: c.confidence,
                                            method: c.method == "BCa" ? .bca : .percentile)
        expectClose(r.interval.lower, c.lower, rel: 1e-12, abs: 1e-15, "lower")
        expectClose(r.interval.upper, c.upper, rel: 1e-12, abs: 1e-15, "upper")
        expectClose(r.standardError, c.standardError, rel: 1e-10, "standard error")
        #expect((r.biasCorrection != nil) == (c.method == "BCa"))
    }

    @Test("resampling overload is deterministic and brackets the estimate")
    func resampling() throws {
        let sample = GeneratedSample(seed: 3, n: 40, scale: 2, shift: 1, warp: 0).values()
        let mean: ([Double]) -> Double = { $0.reduce(0, +) / Double($0.count) }
        var rng1 = SplitMix64(seed: 42), rng2 = SplitMix64(seed: 42)
        let a = try Stats.bootstrapInterval(sample: sample, statistic: mean, resamples: 2000, using: &rng1)
        let b = try Stats.bootstrapInterval(sample: sample, statistic: mean, resamples: 2000, using: &rng2)
        #expect(a == b)
        #expect(a.interval.contains(a.estimate))
        #expect(a.bootstrapDistribution.count == 2000)
        // The mean of U(1, 3) data has sd 2/sqrt(12)/sqrt(40) ≈ 0.091; the 95% interval is ≈ ±0.18.
        let width = a.interval.upper - a.interval.lower
        #expect(width > 0.25 && width < 0.5, "width \(width)")
    }

    @Test("BCa on a constant sample is undefined and throws")
    func degenerateBCa() {
        let sample = [Double](repeating: 2, count: 10)
        #expect(throws: StatsError.self) {
            try Stats.bootstrapInterval(sample: sample, statistic: { $0.reduce(0, +) },
                                        bootstrapDistribution: [Double](repeating: 20, count: 50))
        }
        // The percentile interval is defined (and degenerate).
        let p = try? Stats.bootstrapInterval(sample: sample, statistic: { $0.reduce(0, +) },
                                             bootstrapDistribution: [Double](repeating: 20, count: 50),
                                             method: .percentile)
        #expect(p?.interval.lower == 20 && p?.interval.upper == 20)
    }

    @Test("Holm adjusted p-values (statsmodels multipletests 'holm' closed form)", arguments: Reference.shared.holm)
    func holm(_ c: HolmCase) throws {
        let adjusted = try Stats.holmAdjusted(c.pvalues)
        #expect(adjusted.count == c.adjusted.count)
        for (a, e) in zip(adjusted, c.adjusted) { expectClose(a, e, rel: 1e-15, "adjusted p") }
    }

    @Test("Holm rejections and input validation")
    func holmRejections() throws {
        #expect(try Stats.holmRejections([0.01, 0.04, 0.03, 0.005], alpha: 0.05) == [true, false, false, true])
        #expect(throws: StatsError.emptyInput("pValues")) { try Stats.holmAdjusted([]) }
        #expect(throws: StatsError.self) { try Stats.holmAdjusted([0.5, 1.5]) }
        #expect(throws: StatsError.self) { try Stats.holmAdjusted([.nan]) }
    }
}
