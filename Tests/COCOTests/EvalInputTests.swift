import Foundation
import Testing
@testable import COCO
import Support

/// Results validation (exit 2 material), the library entry point, and the extra outputs.
@Suite struct EvalInputTests {
    static let gtText = """
    {"images":[{"id":1,"width":100,"height":80,"file_name":"a.png"},{"id":2,"width":100,"height":80,"file_name":"b.png"}],
     "categories":[{"id":1,"name":"box"},{"id":2,"name":"ball"},{"id":3,"name":"never"}],
     "annotations":[
      {"id":1,"image_id":1,"category_id":1,"bbox":[10,10,20,20],"area":400,"iscrowd":0,"segmentation":[[10,10,30,10,30,30,10,30]]},
      {"id":2,"image_id":1,"category_id":2,"bbox":[50,40,10,10],"area":100,"iscrowd":0,"segmentation":[[50,40,60,40,60,50,50,50]]},
      {"id":3,"image_id":2,"category_id":1,"bbox":[0,0,50,50],"area":2500,"iscrowd":0,"segmentation":[[0,0,50,0,50,50,0,50]]}]}
    """

    static var gt: COCODataset { try! COCODataset.load(bytes: bytes(gtText), file: "gt.json") }

    func loadError(_ dt: String) -> InputError? {
        do { _ = try COCOResults.load(bytes: bytes(dt), file: "dt.json", against: Self.gt); return nil }
        catch let e as InputError { return e }
        catch { return nil }
    }

    @Test(arguments: [
        (#"[{"image_id":9,"category_id":1,"bbox":[1,1,2,2],"score":0.5}]"#, "[0].image_id", "not in the ground truth"),
        (#"[{"image_id":1,"category_id":1,"bbox":[1,1,2,2],"score":0.5},{"image_id":1,"category_id":7,"bbox":[1,1,2,2],"score":0.5}]"#, "[1].category_id", "not in the ground truth"),
        (#"[{"image_id":1,"category_id":1,"bbox":[1,1,2],"score":0.5}]"#, "[0].bbox", "four finite numbers"),
        (#"[{"image_id":1,"category_id":1,"bbox":[1,1,-2,2],"score":0.5}]"#, "[0].bbox", "negative"),
        (#"[{"image_id":1,"category_id":1,"bbox":[1,"a",2,2],"score":0.5}]"#, "[0].bbox", "four finite numbers"),
        (#"[{"image_id":1,"category_id":1,"bbox":[1,1,2,2]}]"#, "[0].score", "missing"),
        (#"[{"image_id":1,"category_id":1,"bbox":[1,1,2,2],"score":NaN}]"#, "[0].score", "finite"),
        (#"[{"image_id":"1","category_id":1,"bbox":[1,1,2,2],"score":0.5}]"#, "[0].image_id", "integer"),
        (#"[{"image_id":1,"category_id":1,"bbox":[1,1,2,2],"score":0.5},{"image_id":1,"category_id":1,"score":0.5}]"#, "[1].bbox", "missing"),
        (#"[{"image_id":1,"category_id":1,"score":0.5,"segmentation":{"size":[80,100],"counts":"%%"}}]"#, "[0].segmentation", "malformed"),
        (#"[{"image_id":1,"category_id":1,"score":0.5,"segmentation":{"size":[100,80],"counts":"n?:j200000bm6"}}]"#, "[0].segmentation.size", "differs"),
        (#"[{"image_id":1,"category_id":1,"score":0.5,"segmentation":{"size":[80,100],"counts":"84294967296N00N2`0"}}]"#, "[0].segmentation", "sum to"),
        (#"[{"image_id":1,"category_id":1,"score":0.5,"segmentation":{"size":[80,100],"counts":[10,20]}}]"#, "[0].segmentation", "sum to"),
        (#"[{"image_id":1,"category_id":1,"score":0.5,"keypoints":[1,2,1]}]"#, "[0].keypoints", "not supported"),
        (#"{"image_id":1}"#, "", "list of detections"),
    ])
    func badResultsNameTheEntry(_ c: (String, String, String)) {
        let e = loadError(c.0)
        #expect(e != nil, "\(c.0)")
        #expect(e?.field == c.1, "\(String(describing: e))")
        #expect(e?.message.contains(c.2) == true, "\(String(describing: e))")
        #expect(e?.description.hasPrefix("dt.json:1:") == true, "\(String(describing: e))")
    }

    @Test func perfectDetectionsScoreOne() throws {
        for t in IoUType.allCases {
            let dets = Self.gt.annotations.map {
                COCODetection(id: $0.id, imageId: $0.imageId, categoryId: $0.categoryId, score: 0.9, bbox: $0.bbox!,
                              area: $0.area!, segmentation: $0.segmentation)
            }
            let r = try COCOEvaluator.evaluate(gt: Self.gt, dt: dets, iouType: t)
            // tp / (tp + fp + eps) with eps = 2^-52, as numpy's spacing(1): just below 1.
            for i in [0, 1, 2, 3, 6, 7, 8, 9] { #expect(abs(r.stats[i] - 1) < 1e-12, "\(t): stats[\(i)] \(r.stats)") }
            // Category 3 has no ground truth: -1.
            #expect(r.categoryAP(2) == -1)
            #expect(r.categoryAP(0) == 1)
        }
    }

    @Test func noDetectionsScoreZero() throws {
        let r = try COCOEvaluator.evaluate(gt: Self.gt, dt: [], iouType: .bbox)
        #expect(r.stats[0] == 0)
        #expect(r.stats[8] == 0)
        #expect(r.stats[3] == 0)      // one small object (area 100)
        #expect(r.stats[4] == 0)      // medium
    }

    @Test func scoreThresholdCountsMatches() throws {
        let dt = #"""
        [{"image_id":1,"category_id":1,"bbox":[10,10,20,20],"score":0.9},
         {"image_id":1,"category_id":1,"bbox":[70,60,10,10],"score":0.8},
         {"image_id":2,"category_id":1,"bbox":[0,0,50,50],"score":0.3},
         {"image_id":1,"category_id":2,"bbox":[0,0,5,5],"score":0.95}]
        """#
        let dets = try COCOResults.load(bytes: bytes(dt), against: Self.gt)
        let r = try COCOEvaluator.evaluate(gt: Self.gt, dt: dets, iouType: .bbox)
        let s = r.atScoreThreshold(0.5)
        #expect(s.truePositives == 1)
        #expect(s.falsePositives == 2)
        #expect(s.groundTruths == 3)
        let third = 1.0 / 3.0
        #expect(s.precision == third)
        #expect(s.recall == third)
        let all = r.atScoreThreshold(0)
        #expect(all.truePositives == 2)
        #expect(all.falsePositives == 2)
        let box = r.atScoreThreshold(0.5, category: 0)
        #expect(box.truePositives == 1)
        #expect(box.falsePositives == 1)
        #expect(box.groundTruths == 2)
        #expect(r.atScoreThreshold(0.99).precision == -1)
        // JSON: stats first, 12 numbers; the threshold block and per-category rows.
        let obj = try JSONSerialization.jsonObject(with: Data(r.json(scoreThreshold: 0.5).utf8)) as! [String: Any]
        #expect((obj["stats"] as! [Any]).count == 12)
        #expect((obj["perCategory"] as! [Any]).count == 3)
        let st = obj["scoreThreshold"] as! [String: Any]
        #expect(st["truePositives"] as? Int == 1)
        #expect(st["falsePositives"] as? Int == 2)
        let arrays = try JSONSerialization.jsonObject(with: Data(r.arraysJSON().utf8)) as! [String: Any]
        let precisionCount: Int = 10 * 101 * 3 * 4 * 3
        #expect((arrays["precision"] as! [Any]).count == precisionCount)
        let recallCount: Int = 10 * 3 * 4 * 3
        #expect((arrays["recall"] as! [Any]).count == recallCount)
    }

    @Test func loadResQuirks() throws {
        // The first detection decides the branch; bbox results get area w*h and a box polygon as segmentation.
        let dets = try COCOResults.load(bytes: bytes(#"[{"image_id":1,"category_id":1,"bbox":[1,2,3,4],"score":0.5}]"#), against: Self.gt)
        #expect(dets[0].id == 1)
        #expect(dets[0].area == 12)
        #expect(dets[0].segmentation == .polygons([[1, 2, 1, 6, 4, 6, 4, 2]]))
        // Segm results: area from the mask, bbox from toBbox.
        let rle = RLE.fromPolygon([10, 10, 30, 10, 30, 30, 10, 30], height: 80, width: 100)
        let seg = try COCOResults.load(bytes: bytes(#"[{"image_id":1,"category_id":1,"score":0.5,"segmentation":{"size":[80,100],"counts":"\#(rle.compressedString)"}}]"#), against: Self.gt)
        #expect(seg[0].area == Double(rle.area))
        #expect(seg[0].bbox.array == rle.boundingBox)
    }

    @Test func groundTruthFieldsNeededByTheIoUTypeAreChecked() throws {
        let noSeg = #"{"images":[{"id":1,"width":10,"height":10,"file_name":"a"}],"categories":[{"id":1,"name":"a"}],"annotations":[{"id":1,"image_id":1,"category_id":1,"bbox":[1,1,2,2],"area":4,"iscrowd":0}]}"#
        let gt = try COCODataset.load(bytes: bytes(noSeg))
        #expect(try COCOEvaluator.evaluate(gt: gt, dt: [], iouType: .bbox).stats[0] == 0)
        #expect(throws: InputError.self) { try COCOEvaluator.evaluate(gt: gt, dt: [], iouType: .segm) }
        let noArea = noSeg.replacingOccurrences(of: #""area":4,"#, with: "")
        #expect(throws: InputError.self) { try COCOEvaluator.evaluate(gt: try COCODataset.load(bytes: bytes(noArea)), dt: [], iouType: .bbox) }
    }

    struct Pair: Sendable, CustomTestStringConvertible {
        var gt: String, dt: String, iou: IoUType, stats: [Double]
        var testDescription: String { "\(dt) \(iou.rawValue)" }
    }

    /// pycocotools 2.0.11 on the third-party pairs (SOURCES.md quotes AP 0.0720 and 0.6947).
    static let pairs: [Pair] = [
        .init(gt: "sahi-eval-gt-area-is-image-area.json", dt: "sahi-eval-results.json", iou: .bbox,
              stats: [0.0719540636410657, 0.1849781569160157, 0.06938280516847861, -1, -1, 0.0770993766043271,
                      0.011876397563420463, 0.03286233839668954, 0.07578777597861566, -1, -1, 0.07578777597861566]),
        .init(gt: "fce-gt-polygons-shapes.json", dt: "fce-dt-polygons-results.json", iou: .segm,
              stats: [0.6947194719471946, 0.6947194719471946, 0.6947194719471946, -1, 0.7920792079207921, 0,
                      0.6666666666666666, 0.75, 0.75, -1, 0.7916666666666666, 0]),
        .init(gt: "fce-gt-polygons-shapes.json", dt: "fce-dt-polygons-results.json", iou: .bbox,
              stats: [0.6947194719471946, 0.6947194719471946, 0.6947194719471946, -1, 0.7920792079207921, 0,
                      0.6666666666666666, 0.75, 0.75, -1, 0.7916666666666666, 0]),
    ]

    @Test(.enabled(if: Paths.hasThirdParty, "../shared/coco-thirdparty is absent"), arguments: pairs)
    func thirdPartyPairsMatchPycocotools(_ p: Pair) throws {
        let r = try COCOEvaluator.evaluate(gtPath: Paths.thirdParty.appendingPathComponent(p.gt).path,
                                           dtPath: Paths.thirdParty.appendingPathComponent(p.dt).path, iouType: p.iou)
        for i in 0..<12 { #expect(abs(r.stats[i] - p.stats[i]) <= 1e-9, "stats[\(i)]: \(r.stats[i]) vs \(p.stats[i])") }
    }
}
