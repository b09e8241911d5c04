import Foundation
import Testing
@testable import COCO

/// The evaluator's per-image match records (`evaluateImg`'s dtMatches, gtMatches, dtIgnore, gtIgnore), worked by
/// hand on a small case: a duplicate detection, a detection inside a crowd region, and one whose IoU (0.84)
/// passes the thresholds 0.50–0.80 and fails 0.85–0.95.
@Suite struct ImageEvaluationTests {
    static let gt = try! COCODataset.load(bytes: bytes("""
    {"images":[{"id":1,"width":100,"height":80,"file_name":"a.png"},{"id":2,"width":100,"height":80,"file_name":"b.png"}],
     "categories":[{"id":1,"name":"box"}],
     "annotations":[
      {"id":1,"image_id":1,"category_id":1,"bbox":[10,10,20,20],"area":400,"iscrowd":0},
      {"id":2,"image_id":1,"category_id":1,"bbox":[60,40,30,30],"area":900,"iscrowd":1},
      {"id":3,"image_id":2,"category_id":1,"bbox":[0,0,50,50],"area":2500,"iscrowd":0}]}
    """), file: "gt.json")
    static let dt = try! COCOResults.load(bytes: bytes(#"""
    [{"image_id":1,"category_id":1,"bbox":[10,10,20,20],"score":0.9},
     {"image_id":1,"category_id":1,"bbox":[12,12,20,20],"score":0.8},
     {"image_id":1,"category_id":1,"bbox":[62,42,20,20],"score":0.7},
     {"image_id":2,"category_id":1,"bbox":[0,0,50,42],"score":0.6}]
    """#), against: gt)

    @Test func recordsSayWhichDetectionMatchedWhichGroundTruth() throws {
        let r = try COCOEvaluator.evaluate(gt: Self.gt, dt: Self.dt, iouType: .bbox, keepImageEvaluations: true)
        let T = r.params.iouThresholds.count
        try #require(r.imageEvaluations.count == 2)
        let a = r.imageEvaluations[0], b = r.imageEvaluations[1]
        #expect(a.imageIndex == 0 && a.categoryIndex == 0 && b.imageIndex == 1 && b.categoryIndex == 0)
        // Image 1: detections by score; the crowd last among the ground truths, ignored.
        #expect(a.detections == [0, 1, 2] && a.scores == [0.9, 0.8, 0.7])
        #expect(a.groundTruths == [0, 1] && a.groundTruthIgnored == [false, true] && a.countedGroundTruths == 1)
        // At every threshold: the first detection takes ground truth 1, the duplicate none, the third the crowd
        // (ignored); ground truth 1 holds detection 1, the crowd detection 3.
        #expect(a.detectionMatches == Array([[Int64]](repeating: [1, 0, 2], count: T).joined()))
        #expect(a.detectionIgnored == Array([[Bool]](repeating: [false, false, true], count: T).joined()))
        #expect(a.groundTruthMatches == Array([[Int64]](repeating: [1, 3], count: T).joined()))
        for t in 0..<T {
            #expect(a.isMatched(0, threshold: t) && !a.isMatched(1, threshold: t) && a.isIgnored(2, threshold: t))
        }
        // Image 2: IoU 0.84 matches at 0.50 … 0.80 (7 thresholds), not at 0.85, 0.90, 0.95.
        #expect(b.detections == [3] && b.groundTruths == [2] && b.groundTruthIgnored == [false])
        #expect(b.detectionMatches == [3, 3, 3, 3, 3, 3, 3, 0, 0, 0])
        #expect(b.groundTruthMatches == [4, 4, 4, 4, 4, 4, 4, 0, 0, 0])
        #expect(b.detectionIgnored == [Bool](repeating: false, count: T))
    }

    @Test func keepingRecordsChangesNoNumber() throws {
        let plain = try COCOEvaluator.evaluate(gt: Self.gt, dt: Self.dt, iouType: .bbox)
        let kept = try COCOEvaluator.evaluate(gt: Self.gt, dt: Self.dt, iouType: .bbox, keepImageEvaluations: true)
        #expect(plain.imageEvaluations.isEmpty)
        #expect(plain.stats == kept.stats && plain.precision == kept.precision && plain.recall == kept.recall)
        // AP50 by hand: counted detections by score are tp, fp, tp over 2 ground truths, so recall 0.5 at
        // precision 1 and recall 1 at precision 2/3: 51 recall points (0 … 0.50) at 1, 50 at 2/3 (ε as COCOeval).
        let eps = Double.ulpOfOne
        #expect(abs(kept.stats[1] - (51 * (1 / (1 + eps)) + 50 * (2 / (3 + eps))) / 101) < 1e-12)
    }
}
