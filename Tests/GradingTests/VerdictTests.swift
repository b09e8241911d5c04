import Foundation
@testable import Grading
import Support
import Testing
import TestSupport

/// Submissions built from generated datasets and simulated detectors, each graded against the small
/// course rubric: the expected checks fail, and only those.
@Suite(.tags(.slow)) struct VerdictTests {
    @Test(arguments: Fixtures.expectedFailures.keys.sorted())
    func variant(_ name: String) throws {
        let dir = try Fixtures.build(name)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let g = Fixtures.grade(dir)
        #expect(g.status == .graded, "\(g.error ?? "")")
        let failing = Set(g.checks.filter { $0.verdict == .fail }.map(\.check.id))
        let expected = Fixtures.expectedFailures[name]!
        #expect(failing == expected, "\(name): failing \(failing.sorted()), expected \(expected.sorted())\n\(GradeReport.markdown(g))")
        #expect(g.checks.count == Fixtures.smallRubric.checks.count)
        #expect(g.count(.unavailable) == 0 && g.count(.notAttempted) == 0)
        #expect(g.exitCode == (expected.isEmpty ? 0 : 1))
        #expect(g.bugs.isEmpty)
        if name == "fail-lab1" {
            // Below the chapter's 10–15 range: failed, and the range is reported.
            #expect(g.checks.first { $0.check.id == "lab1.gain" }!.evidence.contains("outside the chapter's expected range 10–15"))
        }
        if name != "discrepancy" {
            let flagged = g.checks.filter(\.discrepancy).map(\.check.id) + g.accuracies.filter(\.discrepancy).map(\.model)
            #expect(flagged.isEmpty, "\(name): unexpected discrepancies \(flagged)\n\(GradeReport.markdown(g))")
        }
    }

    /// The passing submission's recomputed numbers are what the simulated detectors were built to give.
    @Test func passingNumbers() throws {
        let dir = try Fixtures.build("pass")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let g = Fixtures.grade(dir)
        func value(_ id: String) -> Double { g.checks.first { $0.check.id == id }!.computed! }
        #expect((10...15).contains(value("lab1.gain")))
        #expect(value("lab2.envs") == 4 && value("lab2.frames") == 24 && value("ex1.frames") == 24)
        #expect(value("lab2.audit") == 0 && value("lab2.valid") == 0)
        #expect(abs(value("lab3.time_saving") - (1 - (7200 + 1440) / 172_800.0) * 100) < 1e-9)
        #expect(abs(value("ex3.speedup") - 172_800.0 / 9000) < 1e-9)
        #expect(value("ex4.curves") == 10 && value("ex4.frames_needed") == 24)
        #expect(value("capstone.transfer") == 1)
        // Accuracy of each model is the staircase AP of its exact miss rate (± one recall point per category).
        let full = g.accuracies.first { $0.model == "full" && $0.testSet == "real" }!
        #expect(abs(full.computed - 90) < 1.5)
        let ex2 = g.checks.first { $0.check.id == "ex2.full_better" }!
        let stats = try #require(ex2.statistics)
        #expect(stats.comparisons.count == 2 && stats.comparisons.allSatisfy(\.significant))
        #expect(stats.comparisons.allSatisfy { $0.low <= $0.estimate && $0.estimate <= $0.high && $0.adjustedPValue >= $0.pValue })
        let gap = g.checks.first { $0.check.id == "ex4.gap" }!
        let ci = try #require(gap.statistics)
        #expect(ci.low! < gap.computed! && gap.computed! < ci.high!)
        // ex1 size is measured on disk (the manifest's own list excludes the manifest itself).
        let ex1 = g.datasets.first { $0.key == "train" }!
        #expect(ex1.bytesOnDisk > ex1.manifestBytes! && ex1.manifestMismatches.isEmpty && ex1.hashesChecked > 0)
    }

    @Test func discrepancyIsFlaggedApartFromTheVerdict() throws {
        let dir = try Fixtures.build("discrepancy")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let g = Fixtures.grade(dir)
        let lab1 = g.checks.first { $0.check.id == "lab1.gain" }!
        #expect(lab1.verdict == .pass && lab1.discrepancy && lab1.reported == 20.5)
        #expect(g.accuracies.first { $0.model == "full" && $0.testSet == "real" }!.discrepancy)
        #expect(g.discrepancies == 2 && g.exitCode == 0)
        let strict = Fixtures.grade(dir, strict: true)
        #expect(strict.exitCode == 1)
        #expect(GradeReport.markdown(g).contains("20.5 ⚠"))
    }

    /// A check whose exercise is not attempted fails when the rubric requires the exercise, and is only
    /// reported otherwise.
    @Test func unattemptedExercises() throws {
        let dir = try Fixtures.build("pass")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/submission.yaml"
        var text = try String(contentsOfFile: path, encoding: .utf8)
        text = text.replacingOccurrences(of: "  obj8: {bench: main}\n", with: "")
            .replacingOccurrences(of: "  obj8.frames_per_hour: 150000\n", with: "")
        try FileIO.writeAtomically(text, to: path)
        let g = Fixtures.grade(dir)
        #expect(g.checks.first { $0.check.id == "obj8.frames_per_hour" }!.verdict == .fail)
        var optional = Fixtures.smallRubric
        optional.requiredExercises.remove("obj8")
        let g2 = Fixtures.grade(dir, rubric: optional)
        #expect(g2.checks.first { $0.check.id == "obj8.frames_per_hour" }!.verdict == .notAttempted)
        #expect(g2.exitCode == 0)
    }

    /// Without an audit implementation the audit check is "unavailable", which does not fail.
    @Test func auditIsPluggable() throws {
        let dir = try Fixtures.build("pass")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let g = Fixtures.grade(dir, auditor: NoAuditor())
        #expect(g.checks.first { $0.check.id == "lab2.audit" }!.verdict == .unavailable)
        #expect(g.exitCode == 0)
        struct Failing: DatasetAuditor {
            func audit(directory: String) throws -> AuditOutcome {
                AuditOutcome(status: .failed, failedChecks: 3, totalChecks: 40, detail: "three parameters off their declared distribution")
            }
        }
        let f = Fixtures.grade(dir, auditor: Failing())
        #expect(f.checks.first { $0.check.id == "lab2.audit" }!.verdict == .fail)
        #expect(f.exitCode == 1)
    }

    /// A model bound to a role it does not fit fails the exercise's checks with the reason.
    @Test func roleConstraints() throws {
        let dir = try Fixtures.build("pass")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/submission.yaml"
        let text = try String(contentsOfFile: path, encoding: .utf8)
            .replacingOccurrences(of: "lab1: {baseline: none, candidate: full}", with: "lab1: {baseline: light, candidate: full}")
        try FileIO.writeAtomically(text, to: path)
        let g = Fixtures.grade(dir)
        let lab1 = g.checks.first { $0.check.id == "lab1.gain" }!
        #expect(lab1.verdict == .fail && lab1.reason.contains("randomization is light, expected none"))
    }
}

/// The seed's bugs, each planted in an extra dataset of an otherwise passing submission.
@Suite(.tags(.slow)) struct SeedBugTests {
    static func plant(_ kind: SeedBugKind, in dataset: String) throws {
        var manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dataset + "/manifest.json"))) as! [String: Any]
        var files = manifest["files"] as! [String: Any]
        func rewrite(_ rel: String, _ bytes: [UInt8]) throws {
            try FileIO.writeAtomically(bytes, to: dataset + "/" + rel)
            files[rel] = ["sha256": SHA256.hex(bytes), "bytes": bytes.count]
        }
        let encoder = PNGEncoder()
        for name in FileIO.listDirectory(dataset + "/rgb") where kind != .depthWithoutUnit {
            let rel = "rgb/" + name
            let img = try PNG.decode(try FileIO.readAll(dataset + "/" + rel))
            var out = [UInt8](repeating: 0, count: img.bytes.count)
            let (w, h, c) = (img.width, img.height, img.channels)
            var rng = CounterRNG(3, UInt64(name.hashValue & 0xffff))
            for y in 0..<h {
                for x in 0..<w {
                    for ch in 0..<c {
                        let v = img.bytes[(y * w + x) * c + ch]
                        switch kind {
                        case .sizeSwapped:
                            // Stored transposed: width and height trade places (the tensor shape bug).
                            out[(x * h + y) * c + ch] = v
                        default:
                            // The renderer's float (v + fraction) times 255 again, cast to uint8 (wraps).
                            let f = (Double(v) + rng.unit()) * 255
                            out[(y * w + x) * c + ch] = UInt8(Int(f) & 0xff)
                        }
                    }
                }
            }
            let (ow, oh) = kind == .sizeSwapped ? (h, w) : (w, h)
            let bytes = try out.withUnsafeBufferPointer { Array(try encoder.encode($0, width: ow, height: oh, channels: c, settings: .rgb)) }
            try rewrite(rel, bytes)
        }
        if kind == .depthWithoutUnit {
            // Metres cast to integers, saved with no unit.
            for name in FileIO.listDirectory(dataset + "/depth") {
                let rel = "depth/" + name
                let img = try PNG.decode(try FileIO.readAll(dataset + "/" + rel))
                let words = img.words.map { UInt16($0 / 1000) }
                let bytes = try words.withUnsafeBufferPointer { Array(try encoder.encode($0, width: img.width, height: img.height, channels: 1, settings: .depth)) }
                try rewrite(rel, bytes)
            }
            manifest.removeValue(forKey: "depth")
        }
        manifest["files"] = files
        try JSONSerialization.data(withJSONObject: manifest).write(to: URL(fileURLWithPath: dataset + "/manifest.json"))
    }

    @Test(arguments: SeedBugKind.allCases)
    func detected(_ kind: SeedBugKind) throws {
        let dir = try Fixtures.build("pass")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Fixtures.copyDataset(dir + "/data/train", to: dir + "/data/export")
        try Self.plant(kind, in: dir + "/data/export")
        let path = dir + "/submission.yaml"
        let text = try String(contentsOfFile: path, encoding: .utf8)
            .replacingOccurrences(of: "datasets:\n", with: "datasets:\n  export: data/export\n")
        try FileIO.writeAtomically(text, to: path)
        let g = Fixtures.grade(dir)
        #expect(g.status == .graded, "\(g.error ?? "")")
        #expect(g.bugs.map(\.kind) == [kind], "\(g.bugs)")
        #expect(g.bugs.allSatisfy { $0.dataset == "export" })
        let check = g.checks.first { $0.check.id == "general.seed_bugs" }!
        #expect(check.verdict == .fail && check.computed == 1)
        // Only the seed-bug check fails: the planted dataset is bound to no exercise.
        #expect(Set(g.checks.filter { $0.verdict == .fail }.map(\.check.id)) == ["general.seed_bugs"])
        #expect(g.exitCode == 1)
        #expect(GradeReport.markdown(g).contains(kind.title))
    }

    /// Rendered frames are far from the RGB thresholds.
    @Test func cleanFramesAreNotFlagged() throws {
        let dir = try Fixtures.generated(Fixtures.trainSpec)
        for name in FileIO.listDirectory(dir + "/rgb") {
            let s = DatasetInspector.rgbStatistics(try PNG.decode(try FileIO.readAll(dir + "/rgb/" + name)))!
            #expect(s.saturated < DatasetInspector.saturatedLimit / 4 && s.meanJump < DatasetInspector.jumpLimit / 2, "\(name): \(s)")
        }
    }
}
