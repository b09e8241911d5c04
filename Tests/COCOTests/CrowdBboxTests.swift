import Foundation
import Testing
@testable import COCO

/// Crowd annotations whose RLE pycocotools rasterized from a random polygon and whose bbox is that polygon's extent
/// (fixtures/coco/make_crowd_bbox.py): rasterization error is no error; boxes off by several pixels are.
@Suite struct CrowdBboxTests {
    static let dir = Paths.fixtures.appendingPathComponent("crowd-bbox")

    static func checkPolygons(_ path: String, expected: Int) throws {
        let r = try COCOValidator.validate(path: path)
        #expect(r.annotations == expected)
        #expect(r.errorCount == 0, "\(r.findings.filter { $0.severity == .error }.prefix(5).map(\.text))")
        #expect(r.counts[.bboxMaskMismatch] == nil)
        #expect(r.exitCode(strict: false) == 0)
    }

    static func checkOff(_ path: String, expected: Int) throws {
        let r = try COCOValidator.validate(path: path)
        #expect(r.annotations == expected)
        #expect(r.counts[.bboxMaskMismatch] == expected, "\(r.counts)")
        #expect(r.exitCode(strict: false) == 1)
    }

    @Test func pycocotoolsRasterizationIsNoError() throws {
        try Self.checkPolygons(Self.dir.appendingPathComponent("pycocotools-polygons.json").path, expected: 300)
    }

    @Test func boxesOffBySeveralPixelsAreErrors() throws {
        try Self.checkOff(Self.dir.appendingPathComponent("pycocotools-off.json").path, expected: 100)
    }

    /// The committed numbers agree with the tolerances: pycocotools never put the mask's box more than the
    /// rasterization bound beyond the polygon's extent.
    @Test func measuredDistancesWithinTheBound() throws {
        let n = try JSONSerialization.jsonObject(with: Data(contentsOf: Self.dir.appendingPathComponent("numbers.json"))) as! [String: Any]
        let worst = try #require(n["max_mask_beyond_bbox_px"] as? Double)
        #expect(worst <= COCOValidator.RLEBoxTolerance.outsideRaster)
    }

    /// Masks from a rerun of the generator with a fresh seed (where pycocotools is installed).
    @Test(.enabled(if: Python.hasPycocotools, "pycocotools is not importable"))
    func freshPolygonsFromPycocotools() throws {
        let seed = TestSeed.make("CrowdBboxTests.freshPolygonsFromPycocotools")
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("synthbench-crowd-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        let run = Python.run([Paths.fixtures.appendingPathComponent("make_crowd_bbox.py").path, "--seed", String(seed % 1_000_000_007),
                              "--count", "240", "--out", out.path])
        try #require(run.status == 0, "generator failed (seed \(seed)): \(run.output)")
        try Self.checkPolygons(out.appendingPathComponent("pycocotools-polygons.json").path, expected: 240)
        try Self.checkOff(out.appendingPathComponent("pycocotools-off.json").path, expected: 80)
    }
}
