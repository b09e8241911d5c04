import Foundation
import Testing
@testable import Stats

@Suite("Kolmogorov–Smirnov against scipy")
struct KolmogorovSmirnovTests {
    @Test("one-sample KS (ks_1samp)", arguments: Reference.shared.ks1)
    func oneSample(_ c: KS1Case) throws {
        let method: Stats.KSMethod = c.method == "asymp" ? .asymptotic : .auto
        let r = try Stats.kolmogorovSmirnov(c.values, against: c.dist.distribution,
                                            alternative: alternative(c.alternative), method: method)
        expectClose(r.statistic, c.statistic, rel: 1e-12, "D")
        expectClose(r.pValue, c.pvalue, rel: 1e-11, "p")
        #expect(r.method.pValue == (method == .asymptotic ? .asymptotic : .exact))
    }

    @Test("kstwo.sf and ksone.sf across all algorithm regions", arguments: Reference.shared.ksDistribution)
    func distributions(_ row: KSDistributionRow) {
        if let expected = row.kstwoSf {
            expectClose(Stats.kolmogorovSF(n: row.n, d: row.d), expected, rel: 1e-11, abs: 1e-300, "kstwo.sf")
        }
        expectClose(Stats.smirnovSF(n: row.n, d: row.d), row.ksoneSf, rel: 1e-11, abs: 1e-300, "ksone.sf")
    }

    @Test("kstwobign.sf", arguments: Reference.shared.kolmogorovLimit)
    func limit(_ row: LimitRow) {
        expectClose(Stats.kolmogorovLimitSF(row.x), row.sf, rel: 1e-12, abs: 1e-300, "kstwobign.sf")
    }

    @Test("two-sample KS (ks_2samp)", arguments: Reference.shared.ks2)
    func twoSample(_ c: KS2Case) throws {
        let method: Stats.KSMethod = switch c.method {
        case "asymp": .asymptotic
        case "exact": .exact
        default: .auto
        }
        let r = try Stats.kolmogorovSmirnov(c.x.values(), c.y.values(), method: method)
        expectClose(r.statistic, c.statistic, rel: 1e-12, "D")
        expectClose(r.pValue, c.pvalue, rel: 1e-11, "p")
    }

    @Test("two-sample method selection mirrors scipy")
    func twoSampleMethodSelection() throws {
        let small = try Stats.kolmogorovSmirnov([0.1, 0.5, 0.9, 1.3], [0.2, 0.6, 1.0])
        #expect(small.method.pValue == .exact)
        let big = Reference.shared.ks2.first { $0.name == "12000v15000-auto-asymp" }!
        let r = try Stats.kolmogorovSmirnov(big.x.values(), big.y.values())
        #expect(r.method.pValue == .asymptotic)
        // n1 = n2 = 5, D = 0.2: scipy's exact sum rounds to 1 + 2^-52 and falls back to asymp.
        let fallback = Reference.shared.ks2.first { $0.name == "5v5" }!
        let r5 = try Stats.kolmogorovSmirnov(fallback.x.values(), fallback.y.values())
        #expect(r5.method.pValue == .asymptotic)
        #expect(r5.pValue == 1)
    }

    @Test("statistic matches the brute-force definition sup |F_n - F|")
    func statisticDefinition() throws {
        var rng = SplitMix64(seed: 99)
        let x = (0..<37).map { _ in Double(rng.next() >> 11) * 0x1p-53 * 1.2 - 0.1 }
        let dist = ContinuousDistribution.uniform(min: 0, max: 1)
        // Evaluate the ECDF just before and at every jump.
        let sorted = x.sorted()
        var d = 0.0
        for (i, v) in sorted.enumerated() {
            let f = dist.cdf(v)
            d = max(d, abs(Double(i + 1) / 37 - f), abs(f - Double(i) / 37))
        }
        let r = try Stats.kolmogorovSmirnov(x, against: dist)
        #expect(abs(r.statistic - d) < 1e-15)
    }

    @Test("n = 1: D = max(F, 1 - F), p from the Ruben–Gambino closed form")
    func singleObservation() throws {
        let r = try Stats.kolmogorovSmirnov([0.3], against: .uniform(min: 0, max: 1))
        #expect(abs(r.statistic - 0.7) < 1e-15)
        #expect(abs(r.pValue - 0.6) < 1e-12)  // P(D_1 >= d) = 2(1 - d) for d >= 1/2
    }

    @Test("kolmogorovSF is a survival function: 1 at 0, 0 at 1, non-increasing")
    func survivalShape() {
        for n in [1, 3, 10, 60, 141, 1000, 50_000] {
            #expect(Stats.kolmogorovSF(n: n, d: 0) == 1)
            #expect(Stats.kolmogorovSF(n: n, d: 1) == 0)
            var previous = 1.0
            for i in 1..<400 {
                let d = Double(i) / 400
                let p = Stats.kolmogorovSF(n: n, d: d)
                #expect(p <= previous + 1e-12, "n=\(n) d=\(d)")
                previous = p
            }
        }
    }

    @Test("two-sample KS of a sample with itself: D = 0, p = 1")
    func identicalSamples() throws {
        let x = [3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0, 6.0]
        let r = try Stats.kolmogorovSmirnov(x, x)
        #expect(r.statistic == 0)
        #expect(r.pValue == 1)
    }

    @Test("all-equal sample is defined: D = max(F(c), 1 - F(c))")
    func allEqual() throws {
        let r = try Stats.kolmogorovSmirnov([Double](repeating: 0.25, count: 10), against: .uniform(min: 0, max: 1))
        #expect(abs(r.statistic - 0.75) < 1e-15)
        #expect(r.pValue < 1e-5)
    }

    @Test("KS on 100 000 values is fast (O(n log n))")
    func performance() throws {
        let sample = GeneratedSample(seed: 5, n: 100_000, scale: 1, shift: 0, warp: 0.02).values()
        let clock = ContinuousClock()
        var result: TestResult?
        let elapsed = try clock.measure {
            result = try Stats.kolmogorovSmirnov(sample, against: .uniform(min: 0, max: 1))
        }
        #expect(elapsed < .seconds(3), "took \(elapsed)")
        #expect(result!.pValue < 0.05)
        let other = GeneratedSample(seed: 6, n: 100_000, scale: 1, shift: 0, warp: 0).values()
        let elapsed2 = try clock.measure {
            result = try Stats.kolmogorovSmirnov(sample, other)
        }
        #expect(elapsed2 < .seconds(3), "two-sample took \(elapsed2)")
    }

    @Test("custom CDF returning values outside [0, 1] is rejected")
    func badCustomCDF() {
        #expect(throws: StatsError.self) {
            try Stats.kolmogorovSmirnov([0.5, 1.0], against: .custom(name: "bad") { $0 * 2 })
        }
    }
}
