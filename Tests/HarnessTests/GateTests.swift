import Foundation
import BenchFormat
@testable import Harness
import Testing
import TestSupport

@Suite(.tags(.slow)) struct GateTests {
    func gate(_ b: Fixture.Spec, _ c: Fixture.Spec, _ options: Gate.Options = Gate.Options()) throws -> Gate.Report {
        try Gate.evaluate(baseline: try Fixture.result(b), candidate: try Fixture.result(c), baselineFile: "a.json",
                          candidateFile: "b.json", options: options)
    }

    func verdicts(_ r: Gate.Report, prefix: String) -> Set<Gate.Verdict> {
        Set(r.rows.filter { $0.metric.hasPrefix(prefix) }.map(\.verdict))
    }

    @Test func noiseAloneIsNoRegression() throws {
        for seed in UInt64(2)...UInt64(6) {
            let r = try gate(Fixture.Spec(seed: 1), Fixture.Spec(seed: seed))
            #expect(r.exitCode == 0, "\(r.text())")
            #expect(r.count(.regression) == 0 && r.count(.improvement) == 0)
        }
    }

    @Test func halvedGeneratorRegresses() throws {
        let r = try gate(Fixture.Spec(), Fixture.Spec(generator: 0.5, seed: 9))
        #expect(r.exitCode == 1)
        #expect(verdicts(r, prefix: "ratio[") == [.regression])
        #expect(verdicts(r, prefix: "frames_per_hour[") == [.regression])
        let row = r.rows.first { $0.metric == "ratio[envs=8,lanes=2]" }!
        #expect(abs(row.change + 0.5) < 0.05)
        #expect(row.pWorse! < 0.002)
        #expect(r.text().contains("REGRESSION"))
    }

    @Test func fasterGeneratorImproves() throws {
        let r = try gate(Fixture.Spec(), Fixture.Spec(generator: 1.5, seed: 9))
        #expect(r.exitCode == 0)
        #expect(verdicts(r, prefix: "ratio[") == [.improvement])
    }

    /// 3 % slower with very little noise: significant, but within the 5 % threshold.
    @Test func smallSignificantChangeIsUnchanged() throws {
        let r = try gate(Fixture.Spec(noise: 0.002), Fixture.Spec(noise: 0.002, generator: 0.97, seed: 3))
        #expect(r.exitCode == 0)
        let row = r.rows.first { $0.metric == "ratio[envs=1,lanes=1]" }!
        #expect(row.verdict == .unchanged && row.pWorse! < 0.002 && row.note == "significant but within the threshold")
        // The same change with a 2 % threshold is a regression.
        let strict = try gate(Fixture.Spec(noise: 0.002), Fixture.Spec(noise: 0.002, generator: 0.97, seed: 3),
                              Gate.Options(maxRegression: 0.02))
        #expect(strict.exitCode == 1)
    }

    /// A halved generator regresses at any number of repeats: with 2 or 3 a side Mann–Whitney cannot reach
    /// p < 0.002, so the medians decide alone (and the note says so); with 6 the test does.
    @Test(arguments: [2, 3, 6]) func halvedGeneratorRegressesAtAnyRepeats(repeats: Int) throws {
        let base = Fixture.Spec(repeats: repeats, memoryRepeats: repeats)
        let r = try gate(base, Fixture.Spec(repeats: repeats, generator: 0.5, memoryRepeats: repeats, seed: 4))
        #expect(r.exitCode == 1, "\(r.text())")
        #expect(verdicts(r, prefix: "ratio[") == [.regression])
        let row = r.rows.first { $0.metric.hasPrefix("ratio[") }!
        if repeats < 6 {
            #expect(row.note!.contains("cannot reach p < 0.002") && row.note!.contains("medians alone"))
            #expect(r.warnings.contains { $0.contains("--repeat 6 or more") })
        } else {
            #expect(row.pWorse! < 0.002 && row.note == nil)
        }
        // A self-comparison passes; so does noise alone.
        let same = try gate(base, base)
        #expect(same.exitCode == 0 && same.count(.regression) == 0 && same.count(.improvement) == 0, "\(same.text())")
        let noise = try gate(base, Fixture.Spec(repeats: repeats, memoryRepeats: repeats, seed: 5))
        #expect(noise.exitCode == 0, "\(noise.text())")
        // A faster candidate with few repeats is an improvement, not a regression.
        let faster = try gate(base, Fixture.Spec(repeats: repeats, generator: 1.5, memoryRepeats: repeats, seed: 4))
        #expect(faster.exitCode == 0 && verdicts(faster, prefix: "ratio[") == [.improvement])
    }

    @Test func repeatsNeededForAlpha() {
        #expect(Gate.smallestPValue(6, 6) == 1.0 / 924)
        #expect(Gate.smallestPValue(3, 3) == 1.0 / 20)
        #expect(Gate.repeatsNeeded(alpha: 0.002) == 6)
        #expect(Gate.repeatsNeeded(alpha: 0.05) == 4)
    }

    /// A noisier sample with a large but uncertain change: beyond the threshold, not significant.
    @Test func largeButInsignificantChangeIsUnchanged() throws {
        let r = try gate(Fixture.Spec(noise: 0.4), Fixture.Spec(noise: 0.4, generator: 0.9, seed: 12))
        let row = r.rows.first { $0.metric == "ratio[envs=1,lanes=1]" }!
        #expect(row.verdict == .unchanged)
    }

    @Test func memoryPerEnvIsLowerIsBetter() throws {
        let r = try gate(Fixture.Spec(), Fixture.Spec(bytesPerEnv: 400_000, seed: 5))
        let row = r.rows.first { $0.metric == "memory.bytes_per_env" }!
        #expect(row.verdict == .regression && !row.higherIsBetter && row.change > 0.9)
        #expect(r.exitCode == 1)
        let better = try gate(Fixture.Spec(), Fixture.Spec(bytesPerEnv: 100_000, seed: 5))
        #expect(better.rows.first { $0.metric == "memory.bytes_per_env" }!.verdict == .improvement)
    }

    /// A slower machine halves frames/hour but not the ratios: with different hardware only ratios gate.
    @Test func differentHardwareGatesRatiosOnly() throws {
        let r = try gate(Fixture.Spec(), Fixture.Spec(machineSpeed: 0.5, seed: 7, machine: Fixture.otherMachine))
        #expect(r.exitCode == 0, "\(r.text())")
        #expect(!r.sameHardware && r.ratiosOnly)
        #expect(verdicts(r, prefix: "frames_per_hour[") == [.notGated])
        #expect(verdicts(r, prefix: "ratio[") == [.unchanged])
        #expect(r.warnings.contains { $0.contains("machine fingerprints differ") })
        // …and a halved generator on the other machine still fails on the ratios.
        let slow = try gate(Fixture.Spec(), Fixture.Spec(generator: 0.5, machineSpeed: 0.5, seed: 7, machine: Fixture.otherMachine))
        #expect(slow.exitCode == 1)
        #expect(verdicts(slow, prefix: "ratio[") == [.regression])
    }

    @Test func ratiosOnlyOnTheSameMachine() throws {
        let r = try gate(Fixture.Spec(), Fixture.Spec(machineSpeed: 0.5, seed: 7), Gate.Options(ratiosOnly: true))
        #expect(r.exitCode == 0)
        #expect(verdicts(r, prefix: "frames_per_hour[") == [.notGated])
        #expect(verdicts(r, prefix: "memory") == [.notGated])
        let all = try gate(Fixture.Spec(), Fixture.Spec(machineSpeed: 0.5, seed: 7))
        #expect(all.exitCode == 1)  // same hardware: absolute throughput is gated
    }

    @Test func differentConfigsAreRefused() throws {
        #expect(throws: ResultFileError.self) {
            try gate(Fixture.Spec(), Fixture.Spec(configHash: String(repeating: "cd", count: 32)))
        }
        do { _ = try gate(Fixture.Spec(), Fixture.Spec(configHash: String(repeating: "cd", count: 32))) }
        catch let e as ResultFileError { #expect(e.file == "b.json" && e.field == "run.config_hash") }
    }

    @Test func unmatchedCellsAreReportedNotGated() throws {
        let r = try gate(Fixture.Spec(), Fixture.Spec(seed: 2, envs: [1, 8, 64]))
        #expect(r.warnings.contains { $0.contains("envs=64") && $0.contains("only in the candidate") })
        #expect(r.exitCode == 0)
    }

    @Test func laneEfficiencyRegression() throws {
        // Two lanes no faster than one: efficiency halves; vs the ceiling too.
        var b = Fixture.Spec(), c = Fixture.Spec(seed: 8)
        b.lanes = [1, 2]; c.lanes = [1, 2]
        let base = try Fixture.result(b)
        var cand = try Fixture.result(c)
        let l = cand.laneScaling!
        cand.laneScaling!.efficiencySamples[1] = l.efficiencySamples[1].map { $0 / 1.8 }
        cand.laneScaling!.relativeEfficiencySamples[1] = l.relativeEfficiencySamples[1].map { $0 / 1.8 }
        let r = try Gate.evaluate(baseline: base, candidate: cand, baselineFile: "a", candidateFile: "b")
        #expect(r.rows.first { $0.metric == "lane_efficiency_vs_ceiling[envs=8,lanes=2]" }!.verdict == .regression)
        #expect(r.rows.first { $0.metric == "lane_efficiency[envs=8,lanes=2]" }!.verdict == .regression)
    }

    @Test func reportJSON() throws {
        let r = try gate(Fixture.Spec(), Fixture.Spec(generator: 0.5, seed: 9))
        let o = try JSONSerialization.jsonObject(with: Data(try r.json().utf8)) as! [String: Any]
        #expect((o["rows"] as! [[String: Any]]).contains { $0["verdict"] as? String == "regression" })
        #expect(o["alpha"] as? Double == 0.002)
    }
}
