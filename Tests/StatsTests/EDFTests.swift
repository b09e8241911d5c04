import Foundation
import Testing
@testable import Stats

@Suite("Anderson–Darling and Cramér–von Mises")
struct EDFTests {
    // Statistic: numpy formula with scipy logcdf/logsf. p-value: Marsaglia & Marsaglia (2004)
    // evaluated in numpy by make_reference.py (scipy has no deterministic reference for it).
    @Test("Anderson–Darling statistic and p-value", arguments: Reference.shared.andersonDarling)
    func andersonDarling(_ c: EDFCase) throws {
        let r = try Stats.andersonDarling(c.sample, against: c.dist.distribution)
        expectClose(r.statistic, c.statistic, rel: 1e-10, "A²")
        expectClose(r.pValue, c.pvalue, rel: 1e-9, abs: 1e-12, "p")
    }

    @Test("Marsaglia AD(n, z) formula", arguments: Reference.shared.adCdf)
    func andersonDarlingCDF(_ row: ADCDFRow) {
        expectClose(Stats.andersonDarlingCDF(row.z, n: row.n), row.cdf, rel: 1e-12, abs: 1e-15, "AD cdf")
    }

    /// Independent check of the finite-n distribution: 10^6 simulated uniform samples per n
    /// (standard error ≤ 5e-4). Marsaglia's correction is not designed for tiny n; for n = 2 the
    /// error reaches ~0.012 near the lower tail, which the looser tolerance documents.
    @Test("AD(n, z) agrees with Monte Carlo simulation", arguments: Reference.shared.adMonteCarlo)
    func andersonDarlingMonteCarlo(_ row: ADMonteCarloRow) {
        let tolerance = row.n >= 5 ? 0.002 : 0.015
        for (z, empirical) in zip(row.z, row.empiricalCdf) {
            let model = Stats.andersonDarlingCDF(z, n: row.n)
            #expect(abs(model - empirical) <= tolerance, "n=\(row.n) z=\(z): model \(model), simulated \(empirical)")
        }
    }

    /// Asymptotic upper percentage points of A² (Anderson & Darling 1954; Stephens 1974).
    @Test("ADinf reproduces the classical critical values",
          arguments: [(1.933, 0.90), (2.492, 0.95), (3.857, 0.99)])
    func criticalValues(z: Double, level: Double) {
        #expect(abs(Stats.andersonDarlingCDF(z) - level) < 5e-4)
    }

    @Test("observation outside the support gives A² = ∞, p = 0")
    func outsideSupport() throws {
        let r = try Stats.andersonDarling([0.2, 0.5, 1.5], against: .uniform(min: 0, max: 1))
        #expect(r.statistic == .infinity)
        #expect(r.pValue == 0)
    }

    @Test("Cramér–von Mises (scipy cramervonmises)", arguments: Reference.shared.cramerVonMises)
    func cramerVonMises(_ c: EDFCase) throws {
        let r = try Stats.cramerVonMises(c.sample, against: c.dist.distribution)
        expectClose(r.statistic, c.statistic, rel: 1e-12, "W²")
        expectClose(r.pValue, c.pvalue, rel: 1e-9, abs: 1e-12, "p")
    }

    @Test("Cramér–von Mises CDF (scipy _cdf_cvm)", arguments: Reference.shared.cvmCdf)
    func cramerVonMisesCDF(_ row: CvMCDFRow) {
        expectClose(Stats.cramerVonMisesCDF(row.x, n: row.n), row.cdf, rel: 1e-9, abs: 1e-12, "CvM cdf")
    }

    @Test("Cramér–von Mises needs two observations")
    func cramerVonMisesTooSmall() {
        #expect(throws: StatsError.tooFewObservations("sample", needed: 2, got: 1)) {
            try Stats.cramerVonMises([0.5], against: .uniform(min: 0, max: 1))
        }
    }

    @Test("EDF tests reject impossible distribution parameters")
    func badParameters() {
        #expect(throws: StatsError.self) { try Stats.andersonDarling([0.5], against: .normal(mean: 0, sd: 0)) }
        #expect(throws: StatsError.self) { try Stats.cramerVonMises([0.5, 0.6], against: .uniform(min: 1, max: 1)) }
        #expect(throws: StatsError.self) {
            try Stats.kolmogorovSmirnov([0.5], against: .uniform(min: 0, max: .infinity))
        }
    }
}
