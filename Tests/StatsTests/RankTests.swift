import Foundation
import Testing
@testable import Stats

@Suite("Rank tests: Spearman and Mann–Whitney")
struct RankTests {
    @Test("Spearman (scipy spearmanr)", arguments: Reference.shared.spearman)
    func spearman(_ c: PairCase) throws {
        let r = try Stats.spearman(c.x, c.y, alternative: alternative(c.alternative))
        expectClose(r.statistic, c.statistic, rel: 1e-12, abs: 1e-15, "rho")
        expectClose(r.pValue, c.pvalue, rel: 1e-10, abs: 1e-300, "p")
    }

    @Test("Mann–Whitney U (scipy mannwhitneyu)", arguments: Reference.shared.mannWhitney)
    func mannWhitney(_ c: PairCase) throws {
        let method: Stats.MannWhitneyMethod = switch c.method {
        case "exact": .exact
        case "asymptotic": .asymptotic
        default: .auto
        }
        let r = try Stats.mannWhitneyU(c.x, c.y, alternative: alternative(c.alternative), method: method,
                                       continuityCorrection: c.continuity ?? true)
        #expect(r.statistic == c.statistic)
        expectClose(r.pValue, c.pvalue, rel: 1e-10, abs: 1e-300, "p")
    }

    @Test("auto method: exact without ties when min(n1, n2) <= 8, else asymptotic")
    func mannWhitneyMethodChoice() throws {
        #expect(try Stats.mannWhitneyU([1, 2, 3], [4, 5, 6, 7]).method.pValue == .exact)
        #expect(try Stats.mannWhitneyU([1, 2, 3], [3, 5, 6, 7]).method.pValue == .asymptotic)
        let x = (0..<9).map(Double.init), y = (0..<9).map { Double($0) + 0.5 }
        #expect(try Stats.mannWhitneyU(x, y).method.pValue == .asymptotic)
        // Asking for exact with ties falls back to the asymptotic method and says so.
        #expect(try Stats.mannWhitneyU([1, 2, 3], [3, 5, 6], method: .exact).method.pValue == .asymptotic)
        // ... and so does asking for it where the exact distribution would be too expensive.
        let big = (0..<2000).map { Double($0) * 1.001 }, other = (0..<2000).map { Double($0) + 0.5 }
        #expect(try Stats.mannWhitneyU(big, other, method: .exact).method.pValue == .asymptotic)
        // A tiny sample against a large one stays exact (cost ~ n1 · n1 n2 / 2).
        let large = (0..<5000).map { Double($0) + 0.25 }
        let r = try Stats.mannWhitneyU([10, 2000, 4000], large)
        #expect(r.method.pValue == .exact)
        let normal = try Stats.mannWhitneyU([10, 2000, 4000], large, method: .asymptotic)
        #expect(abs(r.pValue - normal.pValue) < 0.05)
    }

    /// The exact null distribution against brute-force enumeration of all C(7,3) = 35 splits.
    @Test("exact U distribution matches enumeration")
    func exactDistribution() {
        let n1 = 3, n2 = 4
        var counts = [Int](repeating: 0, count: n1 * n2 + 1)
        // choose positions of sample 1 among ranks 1...7
        for mask in 0..<(1 << (n1 + n2)) where mask.nonzeroBitCount == n1 {
            var rankSum = 0
            for bit in 0..<(n1 + n2) where mask & (1 << bit) != 0 { rankSum += bit + 1 }
            counts[rankSum - n1 * (n1 + 1) / 2] += 1
        }
        let pmf = Stats.mannWhitneyPMF(maxU: n1 * n2, n1: n1, n2: n2)
        for u in 0...(n1 * n2) {
            #expect(abs(pmf[u] - Double(counts[u]) / 35) < 1e-15, "u=\(u)")
        }
    }

    /// Exact integer counts (Gaussian binomial coefficients, which fit in Int64 here) against the
    /// normalised floating-point recurrence, over the lower half that the p-value uses.
    @Test("exact U distribution matches integer counts for larger sizes",
          arguments: [(8, 300), (5, 1000), (12, 15), (20, 25)])
    func exactDistributionLarger(n1: Int, n2: Int) {
        let maxU = n1 * n2 / 2
        let m = min(n1, n2), n = max(n1, n2)
        var counts = [Int](repeating: 0, count: maxU + 1)
        counts[0] = 1
        for i in 1...m {
            if i <= maxU { for u in i...maxU { counts[u] += counts[u - i] } }
            if n + i <= maxU { for u in stride(from: maxU, through: n + i, by: -1) { counts[u] -= counts[u - n - i] } }
        }
        var total = 1.0  // C(n1 + n2, m) as a double
        for i in 1...m { total = total * Double(n + i) / Double(i) }
        let pmf = Stats.mannWhitneyPMF(maxU: maxU, n1: n1, n2: n2)
        var worst = 0.0
        for u in 0...maxU { worst = max(worst, abs(pmf[u] - Double(counts[u]) / total) / (Double(counts[u]) / total)) }
        #expect(worst < 1e-12, "worst relative error \(worst)")
        // the full distribution sums to one: 2·P(U < centre) + P(U = centre) for even n1·n2
        let lowerMass = pmf.reduce(0, +)
        let total1 = (n1 * n2) % 2 == 0 ? 2 * lowerMass - pmf[maxU] : 2 * lowerMass
        #expect(abs(total1 - 1) < 1e-12)
    }

    @Test("average ranks with ties (rankdata 'average')")
    func averageRanks() {
        let (ranks, ties) = Stats.averageRanks([10, 20, 10, 30, 20, 20])
        #expect(ranks == [1.5, 4, 1.5, 6, 4, 4])
        #expect(ties.sorted() == [1, 2, 3])
    }

    @Test("perfect monotone relation: rho = 1 (to rounding, as numpy), p ≈ 0")
    func perfectSpearman() throws {
        let r = try Stats.spearman([1, 2, 3, 4], [10, 100, 1000, 10000])
        #expect(abs(r.statistic - 1) < 1e-15)
        #expect(r.pValue < 1e-20)
        let negative = try Stats.spearman([1, 2, 3, 4, 5, 6], [6, 5, 4, 3, 2, 1])
        #expect(abs(negative.statistic + 1) < 1e-15)
        #expect(negative.pValue < 1e-20)
    }

    @Test("degenerate rank-test input throws")
    func degenerate() {
        #expect(throws: StatsError.constantInput("x")) { try Stats.spearman([1, 1, 1], [1, 2, 3]) }
        #expect(throws: StatsError.constantInput("y")) { try Stats.spearman([1, 2, 3], [4, 4, 4]) }
        #expect(throws: StatsError.tooFewObservations("x", needed: 3, got: 2)) {
            try Stats.spearman([1, 2], [1, 2])
        }
        #expect(throws: StatsError.self) { try Stats.spearman([1, 2, 3], [1, 2, 3, 4]) }
        #expect(throws: StatsError.constantInput("pooled sample")) {
            try Stats.mannWhitneyU([2, 2, 2], [2, 2])
        }
        #expect(throws: StatsError.emptyInput("y")) { try Stats.mannWhitneyU([1], []) }
        #expect(throws: StatsError.nonFinite("x")) { try Stats.mannWhitneyU([1, .nan], [2]) }
    }
}
