import Foundation
import Testing
@testable import COCO

/// `COCOEvaluator` against pycocotools' numbers recorded by fixtures/coco/make_eval_reference.py.
@Suite struct EvalReferenceTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var gt: String
        var dt: String
        var iouType: IoUType
        var stats: [Double]
        var perCategoryAP: [Double]
        var testDescription: String { "\(name) \(iouType.rawValue)" }
    }

    static func cases(in dir: URL) throws -> [Case] {
        let ref = try readJSON(dir.appendingPathComponent("reference.json"))
        var out: [Case] = []
        for c in ref["cases"]!.list {
            for t in IoUType.allCases {
                let r = c[t.rawValue]!
                out.append(Case(name: c["name"]!.string!,
                                gt: dir.appendingPathComponent(c["gt"]!.string!).path,
                                dt: dir.appendingPathComponent(c["dt"]!.string!).path, iouType: t,
                                stats: r["stats"]!.doubles, perCategoryAP: r["perCategoryAP"]!.doubles))
            }
        }
        return out
    }

    static let committed: [Case] = (try? cases(in: Paths.evalCases)) ?? []

    static func check(_ c: Case) throws {
        let r = try COCOEvaluator.evaluate(gtPath: c.gt, dtPath: c.dt, iouType: c.iouType)
        #expect(r.stats.count == 12)
        for i in 0..<12 {
            #expect(abs(r.stats[i] - c.stats[i]) <= 1e-6,
                    "\(c.name) \(c.iouType.rawValue) stats[\(i)] \(EvalResult.statNames[i]): \(r.stats[i]) vs pycocotools \(c.stats[i])")
        }
        #expect(r.categoryIds.count == c.perCategoryAP.count)
        for k in 0..<min(r.categoryIds.count, c.perCategoryAP.count) {
            #expect(abs(r.categoryAP(k) - c.perCategoryAP[k]) <= 1e-6,
                    "\(c.name) \(c.iouType.rawValue) category \(r.categoryIds[k]) AP \(r.categoryAP(k)) vs \(c.perCategoryAP[k])")
        }
    }

    @Test func fixturesArePresentAndSmall() throws {
        #expect(Self.committed.count >= 20)
        var total = 0
        for name in try FileManager.default.subpathsOfDirectory(atPath: Paths.fixtures.path) {
            let a = try FileManager.default.attributesOfItem(atPath: Paths.fixtures.appendingPathComponent(name).path)
            if (a[.type] as? FileAttributeType) == .typeRegular { total += (a[.size] as? Int) ?? 0 }
        }
        #expect(total < 3_000_000, "fixtures/coco holds \(total) bytes")
    }

    @Test(arguments: committed)
    func matchesPycocotools(_ c: Case) throws {
        try Self.check(c)
    }

    /// Reruns the generator with a fresh seed (only where pycocotools is installed: `$SYNTHBENCH_PYTHON` or python3).
    @Test(.enabled(if: Python.hasPycocotools, "pycocotools is not importable"))
    func freshSeedMatchesPycocotools() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("synthbench-eval-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let seed = TestSeed.make("EvalReferenceTests.freshSeedMatchesPycocotools")
        let run = Python.run([Paths.fixtures.appendingPathComponent("make_eval_reference.py").path,
                              "--seed", String(seed), "--cases", "6", "--out", dir.path])
        try #require(run.status == 0, "generator failed (seed \(seed)): \(run.output)")
        let fresh = try Self.cases(in: dir)
        #expect(fresh.count == 12)
        for c in fresh {
            try Self.check(c)
        }
        try RLEReferenceTests.checkAll(try readJSON(dir.appendingPathComponent("rle_reference.json")))
    }
}
