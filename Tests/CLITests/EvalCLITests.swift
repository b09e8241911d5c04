import Foundation
import Testing
import TestSupport

/// `synthbench eval` end to end.
@Suite(.tags(.slow, .endToEnd)) struct EvalCLITests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("fixtures/coco")
    static func path(_ rel: String) -> String { fixtures.appendingPathComponent(rel).path }

    /// pycocotools' numbers for a committed case, from reference.json.
    static func reference(_ name: String, _ iou: String) throws -> [Double] {
        let ref = try JSONSerialization.jsonObject(with: Data(contentsOf: fixtures.appendingPathComponent("eval/reference.json"))) as! [String: Any]
        let c = (ref["cases"] as! [[String: Any]]).first { $0["name"] as? String == name }!
        return ((c[iou] as! [String: Any])["stats"] as! [NSNumber]).map(\.doubleValue)
    }

    @Test(arguments: ["bbox", "segm"])
    func jsonStatsMatchPycocotools(_ iou: String) throws {
        let r = try CLI.run(["eval", "--gt", Self.path("eval/case02_gt.json"), "--dt", Self.path("eval/case02_dt.json"),
                             "--iou", iou, "--json", "--score-threshold", "0.5"])
        #expect(r.code == 0, "\(r.stderr)")
        let obj = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        let stats = (obj["stats"] as! [NSNumber]).map(\.doubleValue)
        let want = try Self.reference("case02", iou)
        #expect(stats.count == 12)
        for i in 0..<12 { #expect(abs(stats[i] - want[i]) <= 1e-6, "stats[\(i)]") }
        #expect(obj["iouType"] as? String == iou)
        #expect(abs((obj["ap50"] as! NSNumber).doubleValue - want[1]) <= 1e-6)
        let st = obj["scoreThreshold"] as! [String: Any]
        #expect((st["threshold"] as! NSNumber).doubleValue == 0.5)
        #expect(st["precision"] != nil && st["recall"] != nil)
        #expect(!(obj["perCategory"] as! [Any]).isEmpty)
    }

    @Test func textOutputAndArrays() throws {
        let arrays = CLI.tempDir("arrays") + ".json"
        defer { try? FileManager.default.removeItem(atPath: arrays) }
        let r = try CLI.run(["eval", "--gt", Self.path("eval/case00_gt.json"), "--dt", Self.path("eval/case00_dt.json"),
                             "--arrays", arrays])
        #expect(r.code == 0, "\(r.stderr)")
        #expect(r.stdout.contains(" Average Precision  (AP) @[ IoU=0.50:0.95 | area=   all | maxDets=100 ] = "))
        #expect(r.stdout.contains(" Average Recall     (AR) @[ IoU=0.50:0.95 | area= large | maxDets=100 ] = "))
        let a = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: arrays))) as! [String: Any]
        let shape = (a["shape"] as! [String: Any])["precision"] as! [Int]
        #expect(shape[0] == 10 && shape[1] == 101 && shape[3] == 4 && shape[4] == 3)
        #expect((a["precision"] as! [Any]).count == shape.reduce(1, *))
    }

    @Test func badResultsExitTwoNamingTheEntry() throws {
        let dir = CLI.tempDir("evalbad")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let gt = Self.path("valid/base.json")
        CLI.write("[{\"image_id\":1,\"category_id\":1,\"bbox\":[1,1,2,2],\"score\":0.9},\n {\"image_id\":77,\"category_id\":1,\"bbox\":[1,1,2,2],\"score\":0.5}]", to: dir + "/unknown-image.json")
        var r = try CLI.run(["eval", "--gt", gt, "--dt", dir + "/unknown-image.json"])
        #expect(r.code == 2)
        #expect(r.stderr.contains("unknown-image.json:2:2: [1].image_id: image 77 is not in the ground truth"), "\(r.stderr)")
        CLI.write("[{\"image_id\":1,\"category_id\":5,\"bbox\":[1,1,2,2],\"score\":0.9}]", to: dir + "/unknown-cat.json")
        r = try CLI.run(["eval", "--gt", gt, "--dt", dir + "/unknown-cat.json"])
        #expect(r.code == 2)
        #expect(r.stderr.contains("[0].category_id"), "\(r.stderr)")
        CLI.write("[{\"image_id\":1,\"category_id\":1,\"bbox\":[1,1,-2,2],\"score\":0.9}]", to: dir + "/bad-box.json")
        r = try CLI.run(["eval", "--gt", gt, "--dt", dir + "/bad-box.json"])
        #expect(r.code == 2)
        #expect(r.stderr.contains("[0].bbox"), "\(r.stderr)")
        CLI.write("[{\"image_id\":1,", to: dir + "/truncated.json")
        r = try CLI.run(["eval", "--gt", gt, "--dt", dir + "/truncated.json"])
        #expect(r.code == 2)
        #expect(r.stderr.contains("truncated.json:1:"), "\(r.stderr)")
    }

    @Test func usageErrorsExitTwo() throws {
        #expect(try CLI.run(["eval", "--dt", Self.path("eval/case00_dt.json")]).code == 2)
        #expect(try CLI.run(["eval", "--gt", Self.path("eval/case00_gt.json"), "--dt", Self.path("eval/case00_dt.json"), "--iou", "keypoints"]).code == 2)
        #expect(try CLI.run(["eval", "--gt", "/nonexistent.json", "--dt", Self.path("eval/case00_dt.json")]).code == 2)
    }
}
