import Foundation
import Testing
@testable import Stats

@Suite("GSL wrapper, distributions and input validation")
struct GSLAndInputTests {
    @Test("GSL status codes map to GSLError.Reason")
    func reasons() {
        #expect(GSLError.Reason(status: 1) == .domain)
        #expect(GSLError.Reason(status: 2) == .range)
        #expect(GSLError.Reason(status: 11) == .maxIterations)
        #expect(GSLError.Reason(status: 15) == .underflow)
        #expect(GSLError.Reason(status: 16) == .overflow)
        #expect(GSLError.Reason(status: 99) == .other(99))
    }

    @Test("GSL domain errors surface as GSLError instead of aborting")
    func domainErrors() {
        #expect(throws: GSLError(reason: .domain, function: "gsl_sf_beta_inc_e")) { try GSL.tQ(1, nu: -1) }
        #expect(throws: GSLError(reason: .domain, function: "gsl_cdf_chisq_Q")) { try GSL.chiSquareQ(1, nu: 0) }
        #expect(throws: GSLError(reason: .domain, function: "gsl_cdf_ugaussian_Pinv")) { try GSL.normalQuantile(1.5) }
        #expect(throws: GSLError.self) { try GSL.lnGamma(0) }
        #expect(throws: GSLError.self) { try GSL.besselKScaled(nu: 0.25, -1) }
    }

    @Test("GSL wrappers return known values")
    func knownValues() throws {
        #expect(abs(GSL.normalQ(1.959963984540054) - 0.025) < 1e-15)
        #expect(abs(try GSL.normalQuantile(0.975) - 1.959963984540054) < 1e-14)
        #expect(abs(try GSL.lnGamma(10) - log(362_880.0)) < 1e-13)
        #expect(abs(try GSL.chiSquareQ(3.841458820694124, nu: 1) - 0.05) < 1e-14)
        #expect(abs(try GSL.tQ(2.228138851986274, nu: 10) - 0.025) < 1e-14)
        #expect(GSL.sorted([3, -1, 2.5, 0]) == [-1, 0, 2.5, 3])
        #expect(GSL.sorted([]) == [])
    }

    @Test("continuous distributions: cdf and sf")
    func continuous() {
        let u = ContinuousDistribution.uniform(min: 2, max: 4)
        #expect(u.cdf(1) == 0 && u.cdf(3) == 0.5 && u.cdf(5) == 1)
        #expect(u.sf(3.5) == 0.25)
        let n = ContinuousDistribution.normal(mean: 1, sd: 2)
        #expect(abs(n.cdf(1) - 0.5) < 1e-16)
        #expect(abs(n.cdf(1 + 2 * 1.959963984540054) - 0.975) < 1e-15)
        #expect(abs(n.sf(1 + 2 * 8) - 6.22096057427178e-16) < 1e-27)  // tail kept to full precision
        let c = ContinuousDistribution.custom(name: "square") { x in min(max(x * x, 0), 1) }
        #expect(c.cdf(0.5) == 0.25)
        #expect(c.description == "square")
    }

    @Test("empty and non-finite samples throw clear errors",
          arguments: [[Double](), [Double.nan], [1, .infinity]])
    func invalidSamples(_ sample: [Double]) {
        let expected: StatsError = sample.isEmpty ? .emptyInput("sample") : .nonFinite("sample")
        #expect(throws: expected) { try Stats.kolmogorovSmirnov(sample, against: .uniform(min: 0, max: 1)) }
        #expect(throws: expected) { try Stats.andersonDarling(sample, against: .uniform(min: 0, max: 1)) }
        #expect(throws: StatsError.self) { try Stats.cramerVonMises(sample, against: .uniform(min: 0, max: 1)) }
        #expect(throws: StatsError.self) { try Stats.kolmogorovSmirnov(sample, [1, 2]) }
        #expect(throws: StatsError.self) { try Stats.welchTTest(sample, [1, 2]) }
        #expect(throws: StatsError.self) { try Stats.mannWhitneyU(sample, [1, 2]) }
        #expect(throws: StatsError.self) { try Stats.spearman(sample, sample) }
        #expect(throws: StatsError.self) {
            try Stats.bootstrapInterval(sample: sample, statistic: { $0.reduce(0, +) }, bootstrapDistribution: [1, 2])
        }
    }

    @Test("errors describe themselves")
    func descriptions() {
        #expect(StatsError.outOfSupport(value: 3).description.contains("3"))
        #expect(GSLError(reason: .domain, function: "f").description.contains("f"))
        #expect(TestMethod(test: "T", pValue: .exact, detail: "d").description == "T [exact: d]")
    }
}
