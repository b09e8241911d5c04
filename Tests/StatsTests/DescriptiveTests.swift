import Foundation
import Testing
@testable import Stats

/// Reference values from fixtures/stats/make_descriptive.py (numpy/scipy), committed as
/// fixtures/stats/descriptive.json.
struct DescriptiveReference: Codable, Sendable {
    struct Median: Codable, Sendable { var sample: [Double]; var median: Double }
    struct Quantile: Codable, Sendable { var sample: [Double]; var levels: [Double]; var quantiles: [Double] }
    struct NormalQuantile: Codable, Sendable { var p: Double; var z: Double }
    struct TTail: Codable, Sendable { var t: Double; var df: Double; var p: Double }
    struct RankCorrelation: Codable, Sendable { var x: [Double]; var y: [Double]; var rho: Double; var p: Double }
    struct Fit: Codable, Sendable { var x: [Double]; var y: [Double]; var slope: Double; var intercept: Double; var r2: Double }
    var median: [Median]
    var quantile: [Quantile]
    var normalQuantile: [NormalQuantile]
    var tTail: [TTail]
    var rankCorrelation: [RankCorrelation]
    var linearFit: [Fit]

    static let file = FixturePaths.directory.appendingPathComponent("descriptive.json")
    static let script = FixturePaths.directory.appendingPathComponent("make_descriptive.py")
    static let shared: DescriptiveReference = {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try! decoder.decode(DescriptiveReference.self, from: Data(contentsOf: file))
    }()
}

/// |a − b| ≤ tolerance · max(|b|, floor).
private func close(_ a: Double, _ b: Double, _ tolerance: Double, floor: Double = 1e-300) -> Bool {
    a == b || abs(a - b) <= tolerance * max(abs(b), floor)
}

@Suite("Descriptive statistics, t tail, normal quantile, rank correlation, line fit")
struct DescriptiveTests {
    static let r = DescriptiveReference.shared

    @Test func medianEqualsNumpy() {
        for c in Self.r.median { #expect(Stats.median(c.sample) == c.median, "n \(c.sample.count)") }
        #expect(Stats.median([3, 1, 2]) == 2)
        #expect(Stats.median([4, 1, 3, 2]) == 2.5)
        #expect(Stats.median([]).isNaN)
    }

    @Test func quantileMatchesNumpyLinear() {
        for c in Self.r.quantile {
            let sorted = c.sample.sorted()
            let spread = (sorted.last! - sorted.first!).magnitude + sorted.map(\.magnitude).max()!
            for (q, expected) in zip(c.levels, c.quantiles) {
                // numpy interpolates from the upper neighbour when the fraction is ≥ ½: a few ulps apart.
                #expect(abs(Stats.quantile(sorted: sorted, q) - expected) <= 4 * spread.ulp, "n \(sorted.count) q \(q)")
            }
        }
        #expect(Stats.quantile(sorted: [], 0.5).isNaN)
        #expect(Stats.quantile(sorted: [1, 2, 3, 4], 0) == 1 && Stats.quantile(sorted: [1, 2, 3, 4], 1) == 4)
    }

    @Test func normalQuantileMatchesNdtri() throws {
        for c in Self.r.normalQuantile {
            #expect(close(try Stats.normalQuantile(c.p), c.z, 1e-13, floor: 1e-16), "p \(c.p)")
        }
        #expect(try Stats.normalQuantile(0) == -.infinity && Stats.normalQuantile(1) == .infinity)
        #expect(throws: StatsError.self) { try Stats.normalQuantile(1.5) }
    }

    @Test func studentTailMatchesScipy() {
        for c in Self.r.tTail {
            let p = Stats.studentTTwoSidedP(c.t, degreesOfFreedom: c.df)
            #expect(close(p, c.p, 1e-10) || (c.p == 0 && p < 1e-300), "t \(c.t) df \(c.df): \(p) vs \(c.p)")
            #expect(Stats.studentTTwoSidedP(-c.t, degreesOfFreedom: c.df) == p)
        }
        #expect(Stats.studentTTwoSidedP(.infinity, degreesOfFreedom: 4) == 0)
        #expect(Stats.studentTTwoSidedP(.nan, degreesOfFreedom: 4).isNaN)
    }

    @Test func rankCorrelationMatchesSpearmanr() {
        for c in Self.r.rankCorrelation {
            let (rho, p) = Stats.rankCorrelation(ranks: Stats.averageRanks(c.x).ranks, Stats.averageRanks(c.y).ranks)
            #expect(close(rho, c.rho, 1e-12), "n \(c.x.count): ρ \(rho) vs \(c.rho)")
            #expect(close(p, c.p, 1e-9), "n \(c.x.count): p \(p) vs \(c.p)")
        }
    }

    @Test func linearFitMatchesLinregress() throws {
        for c in Self.r.linearFit {
            let f = try Stats.LinearFit(x: c.x, y: c.y)
            #expect(close(f.slope, c.slope, 1e-12) && close(f.intercept, c.intercept, 1e-12), "n \(c.x.count)")
            #expect(close(f.r2!, c.r2, 1e-12), "n \(c.x.count): R² \(f.r2!) vs \(c.r2)")
            #expect(f.points == c.x.count)
        }
    }

    @Test("make_descriptive.py regenerates the committed descriptive.json",
          .enabled(if: PythonEnvironment.hasScipy, "needs python3 with scipy"))
    func regenerate() throws {
        let output = FileManager.default.temporaryDirectory
            .appendingPathComponent("synthbench-stats-descriptive-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: output) }
        let (status, log) = try PythonEnvironment.run(["python3", DescriptiveReference.script.path, "--output", output.path])
        try #require(status == 0, "make_descriptive.py failed: \(log)")
        let fresh = try JSONSerialization.jsonObject(with: Data(contentsOf: output))
        let committed = try JSONSerialization.jsonObject(with: Data(contentsOf: DescriptiveReference.file))
        var differences: [String] = []
        jsonDifferences(fresh, committed, path: "$", into: &differences)
        #expect(differences.isEmpty, "fresh output differs from the committed fixture:\n\(differences.joined(separator: "\n"))")
    }
}

@Suite("Bootstrap building blocks")
struct BootstrapPartsTests {
    @Test func resampleCountsDrawNItems() {
        var rng = SplitMix64(seed: 7)
        var counts = [Int32](repeating: 9, count: 50)
        Stats.resampleCounts(50, using: &rng, into: &counts)
        #expect(counts.reduce(0, +) == 50)
        // Replays: the same seed, the same counts.
        var again = SplitMix64(seed: 7)
        var second = [Int32](repeating: 0, count: 50)
        Stats.resampleCounts(50, using: &again, into: &second)
        #expect(counts == second)
    }

    @Test func percentileIntervalAndPValue() {
        let d = (0..<101).map { Double($0) / 100 - 0.2 }   // −0.2 … 0.8
        let (lo, hi) = Stats.percentileInterval(sortedDistribution: d, confidence: 0.9)
        #expect(abs(lo - (-0.15)) < 1e-12 && abs(hi - 0.75) < 1e-12)
        // 21 values ≤ 0 (−0.2 … 0.0): (1 + 21) / 102.
        #expect(Stats.bootstrapPValue(d) == 22.0 / 102)
    }
}
