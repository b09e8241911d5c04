import Foundation
import Testing
@testable import Stats

private func policy(_ s: String) -> Stats.LowExpectedPolicy {
    s == "poolAdjacent" ? .poolAdjacent : .flag
}

@Suite("Chi-square goodness of fit")
struct ChiSquareTests {
    @Test("chisquare on counts (with pooling reproduced in the script)", arguments: Reference.shared.chisquare)
    func counts(_ c: ChiSquareCase) throws {
        let r = try Stats.chiSquareGoodnessOfFit(observed: c.observed, expectedProportions: c.proportions,
                                                 ddof: c.ddof, lowExpected: policy(c.policy))
        expectClose(r.test.statistic, c.statistic, rel: 1e-12, "χ²")
        expectClose(r.test.pValue, c.pvalue, rel: 1e-10, abs: 1e-300, "p")
        #expect(r.test.degreesOfFreedom == Double(c.df))
        #expect(r.cells == c.cells)
        #expect(r.lowExpectedCells == c.lowExpectedCells)
        if c.policy == "poolAdjacent" { #expect(r.meetsExpectedCountRule) }
    }

    @Test("integer parameters against discrete distributions", arguments: Reference.shared.discrete)
    func discrete(_ c: DiscreteCase) throws {
        let r = try Stats.discreteGoodnessOfFit(c.values, against: c.dist.distribution, lowExpected: policy(c.policy))
        expectClose(r.test.statistic, c.statistic, rel: 1e-12, "χ²")
        expectClose(r.test.pValue, c.pvalue, rel: 1e-10, abs: 1e-300, "p")
        #expect(r.test.degreesOfFreedom == Double(c.df))
        #expect(r.cells == c.cells)
        #expect(r.lowExpectedCells == c.lowExpectedCells)
    }

    @Test("discreteUniformTest is discreteGoodnessOfFit with a uniform distribution")
    func uniformShortcut() throws {
        let values = [1, 2, 3, 4, 5, 6, 6, 6, 1, 2, 3, 3, 4, 5, 5, 2, 1, 6, 6, 4]
        let a = try Stats.discreteUniformTest(values, in: 1...6)
        let b = try Stats.discreteGoodnessOfFit(values, against: .uniform(lo: 1, hi: 6))
        #expect(a == b)
        #expect(a.lowExpectedCells == [0, 1, 2, 3, 4, 5])  // 20/6 < 5 everywhere
        #expect(!a.meetsExpectedCountRule)
    }

    @Test("expected-count rule: reject policy throws, flag policy reports")
    func lowExpectedPolicies() throws {
        let observed = [3.0, 10, 12, 2]
        let proportions = [0.1, 0.4, 0.4, 0.1]
        let flagged = try Stats.chiSquareGoodnessOfFit(observed: observed, expectedProportions: proportions)
        #expect(flagged.lowExpectedCells == [0, 3])
        #expect(throws: StatsError.self) {
            try Stats.chiSquareGoodnessOfFit(observed: observed, expectedProportions: proportions, lowExpected: .reject)
        }
        let pooled = try Stats.chiSquareGoodnessOfFit(observed: observed, expectedProportions: proportions,
                                                      lowExpected: .poolAdjacent)
        #expect(pooled.cells == [[0, 1], [2, 3]])
        #expect(pooled.expected == [13.5, 13.5])
        #expect(pooled.observed == [13, 14])
    }

    @Test("a statistic of exactly zero gives p = 1")
    func perfectFit() throws {
        let r = try Stats.chiSquareGoodnessOfFit(observed: [10, 20, 30], expectedProportions: [1, 2, 3])
        #expect(r.test.statistic == 0)
        #expect(r.test.pValue == 1)
        #expect(r.test.effectSize == 0)
    }

    @Test("invalid chi-square input throws")
    func invalidInput() {
        #expect(throws: StatsError.emptyInput("observed")) {
            try Stats.chiSquareGoodnessOfFit(observed: [], expectedProportions: [])
        }
        #expect(throws: StatsError.self) {
            try Stats.chiSquareGoodnessOfFit(observed: [1, 2], expectedProportions: [1, 2, 3])
        }
        #expect(throws: StatsError.self) {  // positive count where nothing is expected
            try Stats.chiSquareGoodnessOfFit(observed: [5, 5, 1], expectedProportions: [1, 1, 0])
        }
        #expect(throws: StatsError.self) {  // one cell: no degrees of freedom
            try Stats.chiSquareGoodnessOfFit(observed: [5], expectedProportions: [1])
        }
        #expect(throws: StatsError.self) {  // ddof leaves df = 0
            try Stats.chiSquareGoodnessOfFit(observed: [5, 6, 7], expectedProportions: [1, 1, 1], ddof: 2)
        }
        #expect(throws: StatsError.self) {
            try Stats.chiSquareGoodnessOfFit(observed: [-1, 6], expectedProportions: [1, 1])
        }
    }

    @Test("empty zero-expected cells are dropped, not tested")
    func droppedCells() throws {
        let r = try Stats.chiSquareGoodnessOfFit(observed: [5, 0, 7, 9], expectedProportions: [1, 0, 1, 1])
        #expect(r.droppedEmptyCells == [1])
        #expect(r.cells == [[0], [2], [3]])
        #expect(r.test.degreesOfFreedom == 2)
    }

    @Test("values outside the support throw outOfSupport")
    func outOfSupport() {
        #expect(throws: StatsError.outOfSupport(value: 7)) {
            try Stats.discreteUniformTest([1, 2, 7], in: 1...6)
        }
        #expect(throws: StatsError.outOfSupport(value: -1)) {
            try Stats.discreteGoodnessOfFit([0, 1, -1], against: .categorical(weights: [1, 1]))
        }
        #expect(throws: StatsError.emptyInput("values")) {
            try Stats.discreteUniformTest([], in: 1...6)
        }
    }

    @Test("discrete distributions: support, probabilities, expected counts")
    func discreteDistributions() throws {
        let u = DiscreteDistribution.uniform(lo: -2, hi: 2)
        #expect(u.support == [-2, -1, 0, 1, 2])
        #expect(try u.probabilities() == [0.2, 0.2, 0.2, 0.2, 0.2])
        #expect(try u.probability(of: 3) == 0)
        #expect(try u.expectedCounts(n: 50) == [10, 10, 10, 10, 10])
        let c = DiscreteDistribution.categorical(weights: [2, 1, 1])
        #expect(try c.probabilities() == [0.5, 0.25, 0.25])
        #expect(try c.probability(of: 0) == 0.5)
        #expect(throws: StatsError.self) { try DiscreteDistribution.uniform(lo: 3, hi: 1).probabilities() }
        #expect(throws: StatsError.self) { try DiscreteDistribution.categorical(weights: [0, 0]).probabilities() }
        #expect(throws: StatsError.self) { try DiscreteDistribution.categorical(weights: [1, -1]).probabilities() }
        #expect(throws: StatsError.self) { try DiscreteDistribution.uniform(lo: Int.min, hi: Int.max).probabilities() }
    }
}
