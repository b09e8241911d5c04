import Foundation
import BenchFormat
@testable import Harness
import Support
import Testing
import TestSupport

@Suite(.tags(.slow)) struct SummaryTests {
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
