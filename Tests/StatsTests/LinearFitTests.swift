import Testing
@testable import Stats

/// Worked cases and edge cases of the least-squares line (its agreement with scipy is in DescriptiveTests).
@Suite struct LinearFitTests {
    @Test func exactLine() throws {
        let f = try Stats.LinearFit(x: [1, 8, 64], y: [3 + 2 * 1, 3 + 2 * 8, 3 + 2 * 64])
        #expect(abs(f.slope - 2) < 1e-12 && abs(f.intercept - 3) < 1e-12)
        #expect(f.r2 == 1)
    }

    /// Worked by hand: x̄ 2.5, ȳ 3.75, Sxy 3.5, Sxx 5 → slope 0.7, intercept 2; SSres 2.3, SStot 4.75.
    @Test func noisyLineByHand() throws {
        let f = try Stats.LinearFit(x: [1, 2, 3, 4], y: [2, 4, 5, 4])
        #expect(abs(f.slope - 0.7) < 1e-12)
        #expect(abs(f.intercept - 2.0) < 1e-12)
        #expect(abs(f.r2! - (1 - 2.3 / 4.75)) < 1e-12)
    }

    @Test func repeatedPointsPoolIntoOneFit() throws {
        // Two repeats per x: the fit goes through the means.
        let f = try Stats.LinearFit(x: [1, 1, 3, 3], y: [9, 11, 19, 21])
        #expect(abs(f.slope - 5) < 1e-12 && abs(f.intercept - 5) < 1e-12)
        #expect(f.r2! > 0.96 && f.r2! < 1)
    }

    @Test func edgeCases() throws {
        #expect(throws: Stats.LinearFit.FitError.tooFewDistinctX) { try Stats.LinearFit(x: [4, 4, 4], y: [1, 2, 3]) }
        #expect(throws: Stats.LinearFit.FitError.nonFinite) { try Stats.LinearFit(x: [1, 2], y: [1, .nan]) }
        #expect(try Stats.LinearFit(x: [1, 2], y: [1, 5]).r2 == nil)  // two points always fit
        #expect(try Stats.LinearFit(x: [1, 2, 3], y: [7, 7, 7]).r2 == nil)  // nothing to explain
        #expect(try Stats.LinearFit(x: [1, 2, 3], y: [7, 7, 7]).slope == 0)
    }
}
