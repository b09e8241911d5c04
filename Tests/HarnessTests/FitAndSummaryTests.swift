import Foundation
import BenchFormat
@testable import Harness
import Support
import Testing
import TestSupport

@Suite struct LinearFitTests {
    @Test func exactLine() throws {
        let f = try LinearFit(x: [1, 8, 64], y: [3 + 2 * 1, 3 + 2 * 8, 3 + 2 * 64])
        #expect(abs(f.slope - 2) < 1e-12 && abs(f.intercept - 3) < 1e-12)
        #expect(f.r2 == 1)
    }

    /// Worked by hand: x̄ 2.5, ȳ 3.75, Sxy 3.5, Sxx 5 → slope 0.7, intercept 2; SSres 2.3, SStot 4.75.
    @Test func noisyLineByHand() throws {
        let f = try LinearFit(x: [1, 2, 3, 4], y: [2, 4, 5, 4])
        #expect(abs(f.slope - 0.7) < 1e-12)
        #expect(abs(f.intercept - 2.0) < 1e-12)
        #expect(abs(f.r2! - (1 - 2.3 / 4.75)) < 1e-12)
    }

    @Test func repeatedPointsPoolIntoOneFit() throws {
        // Two repeats per x: the fit goes through the means.
        let f = try LinearFit(x: [1, 1, 3, 3], y: [9, 11, 19, 21])
        #expect(abs(f.slope - 5) < 1e-12 && abs(f.intercept - 5) < 1e-12)
        #expect(f.r2! > 0.96 && f.r2! < 1)
    }

    @Test func edgeCases() throws {
        #expect(throws: LinearFit.FitError.tooFewDistinctX) { try LinearFit(x: [4, 4, 4], y: [1, 2, 3]) }
        #expect(throws: LinearFit.FitError.nonFinite) { try LinearFit(x: [1, 2], y: [1, .nan]) }
        #expect(try LinearFit(x: [1, 2], y: [1, 5]).r2 == nil)  // two points always fit
        #expect(try LinearFit(x: [1, 2, 3], y: [7, 7, 7]).r2 == nil)  // nothing to explain
        #expect(try LinearFit(x: [1, 2, 3], y: [7, 7, 7]).slope == 0)
    }
}

@Suite(.tags(.slow)) struct SummaryTests {
    @Test func median() {
        #expect(Summary.median([3, 1, 2]) == 2)
        #expect(Summary.median([4, 1, 3, 2]) == 2.5)
        #expect(Summary.median([]).isNaN)
    }

    @Test func oneSampleHasAZeroWidthInterval() {
        let s = Summary(samples: [42])
        #expect(s.median == 42 && s.ciLow == 42 && s.ciHigh == 42)
    }

    @Test func intervalIsDeterministicAndBracketsTheMedian() {
        let xs = [10.2, 9.8, 10.0, 10.5, 9.7, 10.1, 9.9, 10.3]
        let a = Summary(samples: xs), b = Summary(samples: xs)
        #expect(a == b)
        #expect(a.ciLow <= a.median && a.median <= a.ciHigh)
        #expect(a.ciLow >= xs.min()! && a.ciHigh <= xs.max()!)
        #expect(a.ciLow < a.ciHigh)
        // Constant samples: a point interval (the percentile method is defined there, BCa is not).
        let c = Summary(samples: [5, 5, 5, 5])
        #expect(c.ciLow == 5 && c.ciHigh == 5)
    }

    /// The percentile-bootstrap interval of the median covers the true median about 95 % of the time
    /// (normal samples of 15, 300 replications; binomial sd of the coverage ≈ 1.3 %).
    @Test func coverage() {
        var rng = CounterRNG(key: 2024)
        var covered = 0
        let trials = 300
        for _ in 0..<trials {
            let xs = (0..<15).map { _ in 100 + 5 * rng.normal() }
            let s = Summary(samples: xs)
            if s.ciLow <= 100 && 100 <= s.ciHigh { covered += 1 }
        }
        let rate = Double(covered) / Double(trials)
        #expect(rate > 0.89 && rate < 0.995, "coverage \(rate)")
    }

    @Test func significantDigits() {
        #expect(123456.789.significant(4) == 123500)
        #expect(0.000123456.significant(3) == 0.000123)
        #expect(0.0.significant(3) == 0)
    }
}
