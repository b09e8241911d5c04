import Foundation
import Testing
@testable import Audit
import Randomization
import Stats
import Support
import TestSupport

/// The audit's family-wise error rate on honest logs, and its power against specific defects.
@Suite(.tags(.slow)) struct CalibrationPowerTests {
    /// P(X ≥ k) for X ~ Binomial(n, p).
    static func binomialTail(atLeast k: Int, n: Int, p: Double) -> Double {
        var below = 0.0
        var term = pow(1 - p, Double(n))  // P(X = 0)
        for j in 0..<k {
            below += term
            term *= Double(n - j) / Double(j + 1) * p / (1 - p)
        }
        return 1 - below
    }

    /// 20 honest `full` logs of 2,000 frames (different seeds) at α = 0.01. Under the null each audit fails
    /// with probability at most α (Holm controls the family-wise rate under any dependence), so the number of
    /// failing logs is at most Binomial(20, 0.01): P(X ≥ 3) = 0.0010. Allowing at most 2 failures keeps the
    /// chance that an honest, well-calibrated audit trips this test at 0.1 %, while a miscalibrated one (say a
    /// family-wise rate of 10 %) would fail it with probability 1 − P(X ≤ 2 | 0.1) = 0.32 per run of 20 seeds.
    @Test func familyWiseFailureRateOnHonestLogs() throws {
        #expect(Self.binomialTail(atLeast: 3, n: 20, p: 0.01) < 0.0011)
        let seeds: [UInt64] = (0..<20).map { 1000 + UInt64($0) * 7919 }
        var failing: [String] = []
        var smallestHolm: [Double] = []
        for seed in seeds {
            let dir = try AuditFixture.logOnly(frames: 2000, seed: seed)
            defer { AuditFixture.remove(dir) }
            let report = try Auditor.audit(directory: dir, alpha: 0.01)
            #expect(report.familySize > 500)
            smallestHolm.append(report.checks.compactMap(\.holmPValue).min() ?? 1)
            if !report.passed { failing.append("seed \(seed): " + report.failures.map(\.id).joined(separator: ", ")) }
            // Deterministic checks never fail on an honest log.
            #expect(report.failures.allSatisfy { $0.inFamily }, "\(report.failures.map(\.id))")
        }
        #expect(failing.count <= 2, "\(failing)")
        // The smallest Holm p of each log is roughly uniform or larger under the null: not concentrated near 0.
        #expect(smallestHolm.filter { $0 < 0.05 }.count <= 4, "\(smallestHolm)")
    }

    enum Defect: String, CaseIterable, CustomStringConvertible {
        case shrunkRange, triangular, frozen, skewedCategories, correlated
        var description: String { rawValue }
    }

    static let phi = ContinuousDistribution.normal(mean: 0, sd: 1)

    /// Applies one defect to a frame's values (all touch frame-scope parameters).
    static func apply(_ defect: Defect, frame: FrameSample, _ v: inout [String: ParamValue]) {
        var rng = CounterRNG(key: CounterRNG.key([0xDEFEC7, UInt64(frame.frameId), UInt64(defect.rawValue.count)]))
        switch defect {
        case .shrunkRange:
            // light_intensity declared uniform 0.5–2.0, drawn from 0.5–1.85 (range shrunk by 10 %).
            v["light_intensity"] = .number(0.5 + (v["light_intensity"]!.double - 0.5) * 0.9)
        case .triangular:
            // roughness declared uniform 0.1–0.9, drawn from the triangular distribution on the same range.
            v["roughness"] = .number(0.1 + 0.8 * (rng.unit() + rng.unit()) / 2)
        case .frozen:
            v["metallic"] = .number(0.5)
        case .skewedCategories:
            // floor_texture declared 1/3 each, drawn 0.4 / 0.3 / 0.3.
            let u = rng.unit()
            v["floor_texture"] = .text(u < 0.4 ? "tile" : (u < 0.7 ? "wood" : "concrete"))
        case .correlated:
            // light_intensity and camera_distance keep their uniform marginals but are joined by a Gaussian
            // copula with correlation 0.1.
            let z1 = rng.normal(), z2 = rng.normal()
            let rho = 0.1
            v["light_intensity"] = .number(0.5 + 1.5 * phi.cdf(z1))
            v["camera_distance"] = .number(1.2 + 1.8 * phi.cdf(rho * z1 + (1 - rho * rho).squareRoot() * z2))
        }
    }

    static func culprit(_ defect: Defect) -> (parameters: Set<String>, kinds: Set<String>) {
        switch defect {
        case .shrunkRange: return (["light_intensity"], ["ks", "anderson-darling"])
        case .triangular: return (["roughness"], ["ks", "anderson-darling"])
        case .frozen: return (["metallic"], ["varies"])
        case .skewedCategories: return (["floor_texture"], ["chi-square"])
        case .correlated: return (["light_intensity", "camera_distance"], ["independence"])
        }
    }

    @Test(arguments: Defect.allCases)
    func defectIsCaughtAndNamed(_ defect: Defect) throws {
        let dir = try AuditFixture.logOnly(frames: 5000, seed: 4242) { frame, v in Self.apply(defect, frame: frame, &v) }
        defer { AuditFixture.remove(dir) }
        let report = try Auditor.audit(directory: dir, alpha: 0.01)
        #expect(!report.passed)
        #expect(report.exitCode == 1)
        let (names, kinds) = Self.culprit(defect)
        let named = report.failures.filter { kinds.contains($0.kind) && names.isSubset(of: Set($0.parameters)) }
        #expect(!named.isEmpty, "\(defect): failures \(report.failures.map(\.id))")
        // Only the defect fails: every failing check is about the changed parameters.
        for f in report.failures {
            #expect(!names.isDisjoint(with: Set(f.parameters)), "\(defect): unrelated failure \(f.id): \(f.message)")
        }
        #expect(report.markdown().contains(named.first?.id ?? "?"))
    }

    /// The same 5,000-frame seed without a defect passes: the failures above come from the defects.
    @Test func undamagedPowerLogPasses() throws {
        let dir = try AuditFixture.logOnly(frames: 5000, seed: 4242)
        defer { AuditFixture.remove(dir) }
        let report = try Auditor.audit(directory: dir, alpha: 0.01)
        #expect(report.passed, "\(report.failures.map { "\($0.id): \($0.message)" })")
    }
}
