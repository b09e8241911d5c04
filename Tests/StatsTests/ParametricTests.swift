import Foundation
import Testing
@testable import Stats

@Suite("Welch t, two-proportion z, Wilson interval")
struct ParametricTests {
    @Test("Welch t (scipy ttest_ind equal_var=False)", arguments: Reference.shared.welch)
    func welch(_ c: PairCase) throws {
        let r = try Stats.welchTTest(c.x, c.y, alternative: alternative(c.alternative))
        expectClose(r.statistic, c.statistic, rel: 1e-12, "t")
        expectClose(r.degreesOfFreedom!, c.df!, rel: 1e-12, "df")
        expectClose(r.pValue, c.pvalue, rel: 1e-10, abs: 1e-300, "p")
    }

    @Test("Student t tail (scipy t.sf), including fractional and huge df", arguments: Reference.shared.tSf)
    func studentT(_ row: TRow) throws {
        expectClose(try GSL.tQ(row.t, nu: row.nu), row.sf, rel: 1e-11, abs: 1e-300, "t.sf")
        expectClose(try GSL.tP(-row.t, nu: row.nu), row.sf, rel: 1e-11, abs: 1e-300, "t.cdf(-t)")
    }

    @Test("two-proportion z (closed form with scipy norm)", arguments: Reference.shared.twoProportion)
    func twoProportion(_ c: TwoProportionCase) throws {
        let r = try Stats.twoProportionZTest(successes1: c.k1, trials1: c.n1, successes2: c.k2, trials2: c.n2,
                                             alternative: alternative(c.alternative))
        expectClose(r.statistic, c.statistic, rel: 1e-12, "z")
        expectClose(r.pValue, c.pvalue, rel: 1e-10, abs: 1e-300, "p")
        #expect(r.effectSize == Double(c.k1) / Double(c.n1) - Double(c.k2) / Double(c.n2))
    }

    @Test("Wilson interval (scipy binomtest proportion_ci 'wilson')", arguments: Reference.shared.wilson)
    func wilson(_ c: WilsonCase) throws {
        let ci = try Stats.wilsonInterval(successes: c.k, trials: c.n, confidence: c.confidence)
        expectClose(ci.lower, c.lower, rel: 1e-12, abs: 1e-15, "lower")
        expectClose(ci.upper, c.upper, rel: 1e-12, abs: 1e-15, "upper")
        #expect(ci.lower >= 0 && ci.upper <= 1 && ci.lower <= ci.upper)
        #expect(ci.contains(Double(c.k) / Double(c.n)))
    }

    @Test("Welch t: the two-sided p-value is twice the smaller one-sided one")
    func welchTails() throws {
        let x = [1.2, 3.4, 2.2, 5.1, 0.3], y = [2.0, 2.5, 6.1, 7.0, 4.4, 3.3]
        let two = try Stats.welchTTest(x, y)
        let less = try Stats.welchTTest(x, y, alternative: .less)
        let greater = try Stats.welchTTest(x, y, alternative: .greater)
        #expect(abs(less.pValue + greater.pValue - 1) < 1e-12)
        #expect(abs(two.pValue - 2 * min(less.pValue, greater.pValue)) < 1e-12)
    }

    @Test("degenerate or invalid inputs throw")
    func invalid() {
        #expect(throws: StatsError.constantInput("x and y")) { try Stats.welchTTest([1, 1, 1], [2, 2]) }
        #expect(throws: StatsError.tooFewObservations("x", needed: 2, got: 1)) { try Stats.welchTTest([1], [2, 3]) }
        #expect(throws: StatsError.emptyInput("y")) { try Stats.welchTTest([1, 2], []) }
        #expect(throws: StatsError.self) {
            try Stats.twoProportionZTest(successes1: 0, trials1: 10, successes2: 0, trials2: 20)
        }
        #expect(throws: StatsError.self) {
            try Stats.twoProportionZTest(successes1: 11, trials1: 10, successes2: 0, trials2: 20)
        }
        #expect(throws: StatsError.emptyInput("trials")) { try Stats.wilsonInterval(successes: 0, trials: 0) }
        #expect(throws: StatsError.self) { try Stats.wilsonInterval(successes: 5, trials: 4) }
        #expect(throws: StatsError.self) { try Stats.wilsonInterval(successes: 1, trials: 4, confidence: 1) }
    }
}
