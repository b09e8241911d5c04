import Foundation
import Testing
@testable import Stats

/// `Stats.rankCorrelation` (pre-ranked Spearman) against `Stats.spearman`, and `Stats.studentTTwoSidedP` against
/// 40-digit mpmath values.
@Suite struct RankCorrelationTests {
    /// A standard normal draw (Box–Muller) from the fixtures' SplitMix64.
    static func normal(_ rng: inout SplitMix64) -> Double {
        let u1 = (Double(rng.next() >> 11) + 0.5) * 0x1p-53, u2 = Double(rng.next() >> 11) * 0x1p-53
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    @Test(arguments: [5, 30, 250, 2000, 20_000])
    func rankCorrelationMatchesStatsSpearman(_ n: Int) throws {
        var rng = SplitMix64(seed: UInt64(n))
        for trial in 0..<4 {
            // Independent, correlated, tied and strongly dependent pairs.
            var x: [Double] = [], y: [Double] = []
            for _ in 0..<n {
                let a = Self.normal(&rng), b = Self.normal(&rng)
                switch trial {
                case 0: x.append(a); y.append(b)
                case 1: x.append(a); y.append(0.1 * a + b)
                case 2: x.append((a * 2).rounded()); y.append(Double(Int(rng.next() % 3)))
                default: x.append(a); y.append(a + 0.05 * b)
                }
            }
            let reference = try Stats.spearman(x, y)
            let (rho, p) = Stats.rankCorrelation(ranks: Stats.averageRanks(x).ranks, Stats.averageRanks(y).ranks)
            #expect(rho == reference.statistic)
            // GSL's t tail for large df is itself accurate to about 1e-10 (see studentTailAgainstMpmath).
            let tolerance = max(1e-9 * reference.pValue, 1e-300)
            #expect(abs(p - reference.pValue) <= tolerance || (p == 0 && reference.pValue < 1e-290),
                    "n \(n) trial \(trial): \(p) vs \(reference.pValue)")
        }
    }

    /// Two-sided P(|T| ≥ t) = I_{ν/(ν+t²)}(ν/2, 1/2), evaluated by mpmath with 40 digits.
    static let mpmath: [(t: Double, nu: Double, p: Double)] = [
        (0.5, 3, 0.65144796484815099), (1.55, 3, 0.21891910325240211), (2.0, 3, 0.13932596855884318),
        (4.0, 3, 0.028008456010146167), (10.0, 3, 0.0021283990584141501), (1e8, 3, 2.2053155816871674e-24),
        (0.5, 30, 0.62072300488512729), (1.55, 30, 0.13162785205070329), (2.0, 30, 0.054625044962983104),
        (4.0, 30, 0.00038184563608375684), (10.0, 30, 4.5752514082296132e-11), (1e8, 30, 2.072906930512323e-219),
        (0.5, 1000, 0.61718508083387481), (1.55, 1000, 0.12145791862473858), (2.0, 1000, 0.04577034649325164),
        (4.0, 1000, 6.8009919208781578e-5), (10.0, 1000, 1.6670702958600066e-22),
        (0.5, 19998, 0.61708057898030436), (1.55, 19998, 0.12115734026439375), (2.0, 19998, 0.045513763308473202),
        (4.0, 19998, 6.3570308324209543e-5), (10.0, 19998, 1.7304801654197615e-23),
        (0.5, 100000, 0.61707617765441804), (1.55, 100000, 0.12114468056110705), (2.0, 100000, 0.045502963457506463),
        (4.0, 100000, 6.3387997557195339e-5), (10.0, 100000, 1.5633015300207278e-23),
    ]

    @Test func studentTailAgainstMpmath() {
        for (t, nu, p) in Self.mpmath {
            let ours = Stats.studentTTwoSidedP(t, degreesOfFreedom: nu)
            #expect(abs(ours - p) <= 1e-11 * p, "t \(t) df \(nu): \(ours) vs \(p)")
        }
    }

    @Test func studentTailAgainstKnownValues() {
        // Two-sided P(|T| ≥ t): t = 2.0 with 10 df is 0.0733880347707; t = 1 with 1 df is exactly 0.5.
        #expect(abs(Stats.studentTTwoSidedP(2.0, degreesOfFreedom: 10) - 0.07338803477074) < 1e-12)
        #expect(abs(Stats.studentTTwoSidedP(1.0, degreesOfFreedom: 1) - 0.5) < 1e-14)
        #expect(Stats.studentTTwoSidedP(0, degreesOfFreedom: 5) == 1)
        #expect(Stats.studentTTwoSidedP(-3, degreesOfFreedom: 50) == Stats.studentTTwoSidedP(3, degreesOfFreedom: 50))
    }
}
