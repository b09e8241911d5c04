import Foundation
import Testing
@testable import Stats

// Reference values produced by fixtures/stats/make_reference.py (scipy 1.17) and committed as
// fixtures/stats/reference.json. The JSON is found relative to this file so the tests run from
// any working directory and never need scipy.

enum FixturePaths {
    static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // StatsTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // repository root
    static let directory = repositoryRoot.appendingPathComponent("fixtures/stats")
    static let reference = directory.appendingPathComponent("reference.json")
    static let script = directory.appendingPathComponent("make_reference.py")
}

// MARK: - Inputs

/// SplitMix64, bit-identical to the generator in make_reference.py.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

struct GeneratedSample: Codable, Sendable, Hashable {
    var seed: UInt64
    var n: Int
    var scale: Double
    var shift: Double
    var warp: Double

    func values() -> [Double] {
        var rng = SplitMix64(seed: seed)
        return (0..<n).map { _ in
            let u = Double(rng.next() >> 11) * 0x1p-53
            return shift + scale * (u + warp * (u * (1.0 - u)))
        }
    }
}

struct SampleRecord: Codable, Sendable, Hashable {
    var sample: [Double]?
    var generated: GeneratedSample?
    func values() -> [Double] { sample ?? generated!.values() }
}

struct DistSpec: Codable, Sendable, Hashable {
    var kind: String
    var min: Double?
    var max: Double?
    var mean: Double?
    var sd: Double?
    var rate: Double?

    var distribution: ContinuousDistribution {
        switch kind {
        case "uniform": return .uniform(min: min!, max: max!)
        case "normal": return .normal(mean: mean!, sd: sd!)
        case "exponential":
            let rate = self.rate!
            return .custom(name: "exponential(\(rate))") { x in x <= 0 ? 0 : -expm1(-rate * x) }
        default: fatalError("unknown distribution \(kind)")
        }
    }
}

struct DiscreteSpec: Codable, Sendable, Hashable {
    var kind: String
    var lo: Int?
    var hi: Int?
    var weights: [Double]?

    var distribution: DiscreteDistribution {
        kind == "uniform" ? .uniform(lo: lo!, hi: hi!) : .categorical(weights: weights!)
    }
}

func alternative(_ s: String) -> Alternative {
    switch s {
    case "two-sided": return .twoSided
    case "less": return .less
    case "greater": return .greater
    default: fatalError("unknown alternative \(s)")
    }
}

// MARK: - Cases

struct KS1Case: Codable, Sendable, CustomTestStringConvertible {
    var name: String
    var dist: DistSpec
    var alternative: String
    var method: String
    var statistic: Double
    var pvalue: Double
    var sample: [Double]?
    var generated: GeneratedSample?
    var values: [Double] { SampleRecord(sample: sample, generated: generated).values() }
    var testDescription: String { name }
}

struct KSDistributionRow: Codable, Sendable, CustomTestStringConvertible {
    var n: Int
    var d: Double
    var kstwoSf: Double?
    var ksoneSf: Double
    var testDescription: String { "n=\(n) d=\(d)" }
}

struct LimitRow: Codable, Sendable, CustomTestStringConvertible {
    var x: Double
    var sf: Double
    var testDescription: String { "x=\(x)" }
}

struct KS2Case: Codable, Sendable, CustomTestStringConvertible {
    var name: String
    var method: String
    var statistic: Double
    var pvalue: Double
    var x: SampleRecord
    var y: SampleRecord
    var testDescription: String { name }
}

struct EDFCase: Codable, Sendable, CustomTestStringConvertible {
    var name: String
    var sample: [Double]
    var dist: DistSpec
    var statistic: Double
    var pvalue: Double
    var testDescription: String { name }
}

struct ADCDFRow: Codable, Sendable, CustomTestStringConvertible {
    var z: Double
    var n: Int?
    var cdf: Double
    var testDescription: String { "z=\(z) n=\(n.map(String.init) ?? "inf")" }
}

struct ADMonteCarloRow: Codable, Sendable, CustomTestStringConvertible {
    var n: Int
    var reps: Int
    var z: [Double]
    var empiricalCdf: [Double]
    var testDescription: String { "n=\(n)" }
}

struct CvMCDFRow: Codable, Sendable, CustomTestStringConvertible {
    var x: Double
    var n: Int?
    var cdf: Double
    var testDescription: String { "x=\(x) n=\(n.map(String.init) ?? "inf")" }
}

struct ChiSquareCase: Codable, Sendable, CustomTestStringConvertible {
    var name: String
    var observed: [Double]
    var proportions: [Double]
    var ddof: Int
    var policy: String
    var statistic: Double
    var pvalue: Double
    var df: Int
    var cells: [[Int]]
    var lowExpectedCells: [Int]
    var testDescription: String { name }
}

struct DiscreteCase: Codable, Sendable, CustomTestStringConvertible {
    var name: String
    var values: [Int]
    var dist: DiscreteSpec
    var policy: String
    var statistic: Double
    var pvalue: Double
    var df: Int
    var cells: [[Int]]
    var lowExpectedCells: [Int]
    var testDescription: String { name }
}

struct PairCase: Codable, Sendable, CustomTestStringConvertible {
    var name: String
    var x: [Double]
    var y: [Double]
    var alternative: String
    var statistic: Double
    var pvalue: Double
    var df: Double?
    var method: String?
    var continuity: Bool?
    var testDescription: String { name }
}

struct TwoProportionCase: Codable, Sendable, CustomTestStringConvertible {
    var k1: Int
    var n1: Int
    var k2: Int
    var n2: Int
    var alternative: String
    var statistic: Double
    var pvalue: Double
    var testDescription: String { "\(k1)/\(n1) vs \(k2)/\(n2) \(alternative)" }
}

struct TRow: Codable, Sendable, CustomTestStringConvertible {
    var t: Double
    var nu: Double
    var sf: Double
    var testDescription: String { "t=\(t) nu=\(nu)" }
}

struct WilsonCase: Codable, Sendable, CustomTestStringConvertible {
    var k: Int
    var n: Int
    var confidence: Double
    var lower: Double
    var upper: Double
    var testDescription: String { "\(k)/\(n) @\(confidence)" }
}

struct BootstrapCase: Codable, Sendable, CustomTestStringConvertible {
    var name: String
    var sample: [Double]
    var statistic: String
    var method: String
    var confidence: Double
    var distribution: [Double]
    var lower: Double
    var upper: Double
    var standardError: Double
    var testDescription: String { name }
}

struct HolmCase: Codable, Sendable, CustomTestStringConvertible {
    var pvalues: [Double]
    var adjusted: [Double]
    var testDescription: String { "m=\(pvalues.count)" }
}

struct Reference: Codable, Sendable {
    var ks1: [KS1Case]
    var ksDistribution: [KSDistributionRow]
    var kolmogorovLimit: [LimitRow]
    var ks2: [KS2Case]
    var andersonDarling: [EDFCase]
    var adCdf: [ADCDFRow]
    var adMonteCarlo: [ADMonteCarloRow]
    var cramerVonMises: [EDFCase]
    var cvmCdf: [CvMCDFRow]
    var chisquare: [ChiSquareCase]
    var discrete: [DiscreteCase]
    var spearman: [PairCase]
    var mannWhitney: [PairCase]
    var welch: [PairCase]
    var tSf: [TRow]
    var twoProportion: [TwoProportionCase]
    var wilson: [WilsonCase]
    var bootstrap: [BootstrapCase]
    var holm: [HolmCase]

    static let shared: Reference = {
        do {
            let data = try Data(contentsOf: FixturePaths.reference)
            let decoder = JSONDecoder()
            decoder.keyDecodingStrategy = .convertFromSnakeCase
            return try decoder.decode(Reference.self, from: data)
        } catch {
            fatalError("cannot load \(FixturePaths.reference.path): \(error)")
        }
    }()
}

// MARK: - Comparison

/// |actual − expected| ≤ max(rel·|expected|, abs). NaN never matches.
func isClose(_ actual: Double, _ expected: Double, rel: Double, abs absTol: Double = 0) -> Bool {
    if actual == expected { return true }
    guard actual.isFinite, expected.isFinite else { return false }
    return Swift.abs(actual - expected) <= Swift.max(rel * Swift.abs(expected), absTol)
}

func expectClose(_ actual: Double, _ expected: Double, rel: Double, abs absTol: Double = 0,
                 _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(isClose(actual, expected, rel: rel, abs: absTol),
            "\(what): got \(actual), scipy \(expected), rel. error \(Swift.abs(actual - expected) / Swift.max(Swift.abs(expected), .leastNormalMagnitude))",
            sourceLocation: sourceLocation)
}
