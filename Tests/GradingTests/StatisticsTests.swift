import COCO
import Foundation
@testable import Grading
import Stats
import Support
import Testing
import TestSupport

/// A synthetic ground truth: `images` images of 640×480 with `perImage` boxes of random category 1…4.
func syntheticGroundTruth(images: Int, perImage: Int = 3, seed: UInt64 = 1, crowdEvery: Int = 0) -> COCODataset {
    var rng = CounterRNG(seed, 0x6774)
    var anns: [COCOAnnotation] = []
    let ims = (1...images).map { COCOImage(id: Int64($0), width: 640, height: 480, fileName: "im\($0).png") }
    for im in ims {
        for _ in 0..<perImage {
            let w = 40 + 120 * rng.unit(), h = 40 + 120 * rng.unit()
            let x = (640 - w) * rng.unit(), y = (480 - h) * rng.unit()
            let id = Int64(anns.count + 1)
            let crowd = crowdEvery > 0 && anns.count % crowdEvery == crowdEvery - 1
            anns.append(COCOAnnotation(id: id, imageId: im.id, categoryId: Int64(1 + rng.next() % 4),
                                       bbox: BBox(x: x, y: y, w: w, h: h), area: w * h, iscrowd: crowd, segmentation: nil,
                                       index: anns.count))
        }
    }
    let cats = ["box", "sphere", "cylinder", "capsule"].enumerated().map { COCOCategory(id: Int64($0.offset + 1), name: $0.element) }
    return COCODataset(images: ims, categories: cats, annotations: anns)
}

@Suite struct ImageRecordsTests {
    /// The per-image decomposition reproduces COCOeval's statistics with every image counted once.
    @Test(arguments: AccuracyDefinition.Statistic.allCases)
    func equalsEvaluator(_ statistic: AccuracyDefinition.Statistic) throws {
        let gt = syntheticGroundTruth(images: 150, seed: 3, crowdEvery: 17)
        // Overlapping score ranges, jitter large enough to miss some matches, hallucinations: a non-trivial curve.
        let det = SimulatedDetector(missRate: 0.2, jitter: 0.15, falsePositivesPerImage: 1.5, trueScores: 0.2...1.0,
                                    falseScores: 0.0...0.8, seed: 9)
        let dets = det.detect(gt)
        let json = SimulatedDetector.resultsJSON(dets)
        let loaded = try COCOResults.load(bytes: Array(json.utf8), against: gt)
        let e = try COCOEvaluator.evaluate(gt: gt, dt: loaded, iouType: .bbox)
        let acc = AccuracyDefinition(statistic: statistic)
        let r = try ImageRecords(gt: gt, detections: loaded, accuracy: acc)
        #expect(abs(r.value() - e.stats[acc.statsIndex]) < 1e-12, "\(statistic): \(r.value()) vs \(e.stats[acc.statsIndex])")
        // A resample that repeats images equals COCOeval over a dataset holding the copies.
        var w = [Int32](repeating: 0, count: r.imageCount)
        for i in 0..<r.imageCount where i % 3 != 0 { w[i] = Int32(1 + i % 2) }
        var copies = COCODataset(images: [], categories: gt.categories, annotations: [])
        var copiedDets: [COCODetection] = []
        var nextImage: Int64 = 1, nextAnn: Int64 = 1
        for (i, id) in r.imageIds.enumerated() {
            for _ in 0..<Int(w[i]) {
                let newId = nextImage; nextImage += 1
                copies.images.append(COCOImage(id: newId, width: 640, height: 480, fileName: ""))
                for a in gt.annotations where a.imageId == id {
                    var b = a; b.id = nextAnn; b.imageId = newId; nextAnn += 1
                    copies.annotations.append(b)
                }
                for d in loaded where d.imageId == id { var c = d; c.imageId = newId; c.id = Int64(copiedDets.count + 1); copiedDets.append(c) }
            }
        }
        let ec = try COCOEvaluator.evaluate(gt: copies, dt: copiedDets, iouType: .bbox)
        // Ties between copies of one detection can order differently; scores are continuous, so none here.
        #expect(abs(r.value(weights: w) - ec.stats[acc.statsIndex]) < 1e-12)
    }

    /// Segmentation IoU on a generated dataset's RLE masks, detections as boxes (their polygons).
    @Test func segmEqualsEvaluator() throws {
        let dir = try Fixtures.generated(Fixtures.trainSpec)
        let gt = try COCODataset.load(path: dir + "/annotations.json")
        let dets = SimulatedDetector(missRate: 0.1, jitter: 0.05, falsePositivesPerImage: 0.5, seed: 2).detect(gt)
        let loaded = try COCOResults.load(bytes: Array(SimulatedDetector.resultsJSON(dets).utf8), against: gt)
        let e = try COCOEvaluator.evaluate(gt: gt, dt: loaded, iouType: .segm)
        for s in AccuracyDefinition.Statistic.allCases {
            let acc = AccuracyDefinition(statistic: s, iouType: "segm")
            let r = try ImageRecords(gt: gt, detections: loaded, accuracy: acc)
            #expect(abs(r.value() - e.stats[acc.statsIndex]) < 1e-12, "\(s)")
        }
    }

    /// With true detections outranking false ones, AP@0.5 is the recall staircase: known in advance.
    @Test(arguments: [0.0, 0.1, 0.25, 0.5])
    func detectorAccuracyKnownInAdvance(_ miss: Double) throws {
        let gt = syntheticGroundTruth(images: 200, seed: 5)
        let d = SimulatedDetector(missRate: miss, falsePositivesPerImage: 0.5, seed: 11, misses: .exact)
        let e = try COCOEvaluator.evaluate(gt: gt, dt: d.detect(gt), iouType: .bbox)
        // Per category recall is exactly 1 − round(miss·n)/n; AP = (⌊100·recall⌋ + 1) / 101 averaged.
        var expected = 0.0
        for c in 1...4 {
            let n = gt.annotations.filter { $0.categoryId == Int64(c) }.count
            let recall = 1 - (miss * Double(n)).rounded() / Double(n)
            expected += (Double(Int((recall * 100 + 1e-9).rounded(.down))) + 1) / 101
        }
        expected /= 4
        #expect(abs(e.stats[1] - expected) < 0.011, "AP50 \(e.stats[1]) vs \(expected)")
        #expect(abs(e.stats[1] - d.expectedAP50) < 0.02)
    }

    @Test func bootstrapIsDeterministic() throws {
        let gt = syntheticGroundTruth(images: 60, seed: 8)
        let a = try ImageRecords(gt: gt, detections: SimulatedDetector(missRate: 0.1, seed: 1).detect(gt), accuracy: AccuracyDefinition())
        let b = try ImageRecords(gt: gt, detections: SimulatedDetector(missRate: 0.3, seed: 2).detect(gt), accuracy: AccuracyDefinition())
        let x = ImageBootstrap.paired(candidate: a, baselines: [b], resamples: 199, confidence: 0.95, seed: 5)
        let y = ImageBootstrap.paired(candidate: a, baselines: [b], resamples: 199, confidence: 0.95, seed: 5)
        #expect(x == y)
        #expect(x[0].low <= x[0].estimate && x[0].estimate <= x[0].high)
        #expect(x[0].pValue < 0.05)
    }
}

/// Calibration of ex2's "significantly better" (paired bootstrap, one-sided, Holm over full vs light and
/// full vs none) with simulated detectors on 500 test images of 3 objects each.
@Suite(.tags(.slow)) struct SignificanceCalibrationTests {
    static let trials = 200
    static let resamples = 499
    static let alpha = 0.05
    static let gt = syntheticGroundTruth(images: 500, seed: 42)

    struct Tally { var declared = 0; var firstComparison = 0 }

    static func study(candidateMiss: Double, baselineMiss: Double) throws -> Tally {
        var t = Tally()
        let acc = AccuracyDefinition()
        for trial in 0..<trials {
            let s = UInt64(trial) * 3
            let c = try ImageRecords(gt: gt, detections: SimulatedDetector(missRate: candidateMiss, seed: 1000 + s).detect(gt), accuracy: acc)
            let light = try ImageRecords(gt: gt, detections: SimulatedDetector(missRate: baselineMiss, seed: 1001 + s).detect(gt), accuracy: acc)
            let none = try ImageRecords(gt: gt, detections: SimulatedDetector(missRate: baselineMiss, seed: 1002 + s).detect(gt), accuracy: acc)
            let comps = ImageBootstrap.paired(candidate: c, baselines: [light, none], resamples: resamples, confidence: 0.95,
                                              seed: 77 + UInt64(trial))
            let adjusted = try! Stats.holmAdjusted(comps.map(\.pValue))
            if zip(comps, adjusted).allSatisfy({ $0.0.estimate > 0 && $0.1 <= alpha }) { t.declared += 1 }
            if comps[0].estimate > 0 && comps[0].pValue <= alpha { t.firstComparison += 1 }
        }
        return t
    }

    @Test func sizeWithEqualAccuracy() throws {
        let t = try Self.study(candidateMiss: 0.15, baselineMiss: 0.15)
        print("size: ex2 declared in \(t.declared)/\(Self.trials) trials; one comparison alone at α: \(t.firstComparison)/\(Self.trials)")
        #expect(Double(t.declared) <= Self.alpha * Double(Self.trials))
        #expect(Double(t.firstComparison) <= 2 * Self.alpha * Double(Self.trials))
    }

    @Test func powerWithFivePointDifference() throws {
        let t = try Self.study(candidateMiss: 0.10, baselineMiss: 0.15)
        print("power: ex2 declared in \(t.declared)/\(Self.trials) trials; one comparison alone: \(t.firstComparison)/\(Self.trials)")
        #expect(t.declared > Self.trials / 2)
    }
}
