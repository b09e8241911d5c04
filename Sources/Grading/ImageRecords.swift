import COCO
import Foundation
import Stats
import Support

/// COCOeval's matching of one detector against one ground truth, kept per image so that the accuracy of
/// any multiset of test images (a bootstrap resample) is recomputed without matching again.
///
/// The matching is the evaluator's own per-image match records (`EvalResult.imageEvaluations`: pycocotools'
/// `evaluateImg` for the "all" area range with 100 detections per image and category), at the IoU thresholds
/// the statistic averages over. The accuracy of a resample is `accumulate` + `summarize` over the resample's
/// images, an image drawn k times counting k times. With every weight 1 it equals `COCOEvaluator.evaluate`'s
/// statistic (the tests check this to 1e-12).
public struct ImageRecords: Sendable {
    public let accuracy: AccuracyDefinition
    /// Ground-truth image ids, ascending (COCOeval's `imgIds`): the index space of weights.
    public let imageIds: [Int64]
    public let categoryIds: [Int64]
    let thresholds: [Double]
    /// Per category: the detections in COCOeval's accumulation order (score descending, then image order,
    /// then per-image rank): image index and flags (bit t matched at threshold t, bit 16 + t ignored).
    var recImage: [[Int32]]
    var recFlags: [[UInt32]]
    /// Per category: (image index, non-ignored ground truths) for images with any.
    var gtCounts: [[(image: Int32, count: Int32)]]

    public var imageCount: Int { imageIds.count }
    public var detectionCount: Int { recImage.reduce(0) { $0 + $1.count } }

    /// Evaluates the detections, keeping the per-image match records, and takes them.
    public init(gt: COCODataset, detections dt: [COCODetection], accuracy: AccuracyDefinition) throws {
        let iou: IoUType = accuracy.iouType == "segm" ? .segm : .bbox
        self.init(try COCOEvaluator.evaluate(gt: gt, dt: dt, iouType: iou, keepImageEvaluations: true), accuracy: accuracy)
    }

    /// The records of an evaluation made with `keepImageEvaluations: true` at the statistic's IoU thresholds
    /// (which must be among the evaluation's).
    public init(_ result: EvalResult, accuracy: AccuracyDefinition) {
        self.accuracy = accuracy
        thresholds = accuracy.iouThresholds
        let used = thresholds.map { t -> Int in
            guard let i = result.params.iouThresholds.firstIndex(of: t) else {
                preconditionFailure("IoU threshold \(t) is not among the evaluation's")
            }
            return i
        }
        imageIds = result.imageIds
        categoryIds = result.categoryIds
        let K = result.categoryIds.count
        var entries = [[(score: Double, image: Int32, flags: UInt32)]](repeating: [], count: K)
        var counts = [[(image: Int32, count: Int32)]](repeating: [], count: K)
        for e in result.imageEvaluations {
            let k = e.categoryIndex, image = Int32(e.imageIndex)
            let counted = e.countedGroundTruths
            if counted > 0 { counts[k].append((image, Int32(counted))) }
            for d in e.detections.indices {
                var flags: UInt32 = 0
                for (j, t) in used.enumerated() {
                    if e.isMatched(d, threshold: t) { flags |= 1 << j }
                    if e.isIgnored(d, threshold: t) { flags |= 1 << (16 + j) }
                }
                entries[k].append((e.scores[d], image, flags))
            }
        }
        var recImage = [[Int32]](repeating: [], count: K)
        var recFlags = [[UInt32]](repeating: [], count: K)
        for k in 0..<K {
            let e = entries[k]
            let order = e.indices.sorted { x, y in e[x].score > e[y].score || (e[x].score == e[y].score && x < y) }
            recImage[k] = order.map { e[$0].image }
            recFlags[k] = order.map { e[$0].flags }
        }
        self.recImage = recImage; self.recFlags = recFlags; self.gtCounts = counts
    }

    /// The statistic (a fraction; -1 when no category has ground truth) over all images.
    public func value() -> Double {
        value(weights: [Int32](repeating: 1, count: imageIds.count))
    }

    /// The statistic over a multiset of images: `weights[i]` copies of image i.
    public func value(weights: [Int32]) -> Double {
        precondition(weights.count == imageIds.count, "one weight per image")
        var sum = 0.0
        var n = 0
        let recallThresholds = EvalParams.standard.recallThresholds
        let R = recallThresholds.count
        let ar = accuracy.statistic == .ar100
        // COCOeval's interpolated precision at recall r is the largest precision at any position whose
        // recall is at least r. Walking the ranked detections backwards keeps that maximum in one variable,
        // so no curve is stored; tp and fp at each position are the same integers COCOeval accumulates,
        // hence the same doubles.
        weights.withUnsafeBufferPointer { w in
            recallThresholds.withUnsafeBufferPointer { thr in
                for t in 0..<thresholds.count {
                    let matchBit = UInt32(1) << t, ignoreBit = UInt32(1) << (16 + t)
                    for k in 0..<categoryIds.count {
                        var npig = 0
                        for g in gtCounts[k] { npig += Int(w[Int(g.image)]) * Int(g.count) }
                        if npig == 0 { continue }
                        let den = Double(npig)
                        recImage[k].withUnsafeBufferPointer { images in
                            recFlags[k].withUnsafeBufferPointer { flags in
                                var tp = 0.0, fp = 0.0
                                for j in 0..<images.count where flags[j] & ignoreBit == 0 {
                                    let copies = Double(w[Int(images[j])])
                                    if flags[j] & matchBit != 0 { tp += copies } else { fp += copies }
                                }
                                if ar { sum += tp / den; n += 1; return }
                                n += R
                                if tp + fp == 0 { return }
                                var r = R - 1
                                let last = tp / den
                                while r >= 0 && thr[r] > last { r -= 1 }
                                var best = 0.0
                                var j = images.count - 1
                                while j >= 0 && r >= 0 {
                                    let f = flags[j]
                                    let copies = f & ignoreBit != 0 ? 0 : Int(w[Int(images[j])])
                                    let hit = f & matchBit != 0
                                    var c = 0
                                    while c < copies {
                                        let p = tp / (fp + tp + Double.ulpOfOne)
                                        if p > best { best = p }
                                        if hit { tp -= 1 } else { fp -= 1 }
                                        let previous = tp / den
                                        while r >= 0 && thr[r] > previous { sum += best; r -= 1 }
                                        c += 1
                                    }
                                    j -= 1
                                }
                                while r >= 0 { sum += best; r -= 1 }
                            }
                        }
                    }
                }
            }
        }
        return n == 0 ? -1 : sum / Double(n)
    }
}

/// Bootstrap resampling of test images (seeded; the same seed always gives the same numbers); the resampling,
/// the percentile interval and the p-value are Stats'.
public enum ImageBootstrap {
    public struct Comparison: Sendable, Equatable {
        /// Candidate minus baseline, as a fraction.
        public var estimate: Double
        /// Two-sided percentile interval at the given confidence.
        public var low: Double
        public var high: Double
        /// One-sided bootstrap p-value for "candidate better": (1 + #{δ* ≤ 0}) / (B + 1).
        public var pValue: Double
    }

    /// Paired bootstrap over the shared test images: each resample draws images once and recomputes the
    /// statistic of the candidate and of every baseline on it.
    public static func paired(candidate: ImageRecords, baselines: [ImageRecords], resamples: Int, confidence: Double,
                              seed: UInt64) -> [Comparison] {
        let n = candidate.imageCount
        precondition(baselines.allSatisfy { $0.imageIds == candidate.imageIds }, "paired records must share their images")
        var rng = CounterRNG(key: CounterRNG.key([seed, 0x7061_6972]))
        var w = [Int32](repeating: 1, count: n)
        let c0 = candidate.value(weights: w)
        let estimates = baselines.map { c0 - $0.value(weights: w) }
        var dist = [[Double]](repeating: [], count: baselines.count)
        for b in dist.indices { dist[b].reserveCapacity(resamples) }
        for _ in 0..<resamples {
            Stats.resampleCounts(n, using: &rng, into: &w)
            let c = candidate.value(weights: w)
            for (b, base) in baselines.enumerated() { dist[b].append(c - base.value(weights: w)) }
        }
        return baselines.indices.map { b in
            let s = dist[b].sorted()
            let (low, high) = Stats.percentileInterval(sortedDistribution: s, confidence: confidence)
            return Comparison(estimate: estimates[b], low: low, high: high, pValue: Stats.bootstrapPValue(s))
        }
    }

    /// Percentile interval of one statistic, or of `a − b` over two independent test sets (each resampled
    /// on its own).
    public static func interval(_ a: ImageRecords, minus b: ImageRecords? = nil, resamples: Int, confidence: Double,
                                seed: UInt64) -> (estimate: Double, low: Double, high: Double) {
        var rng = CounterRNG(key: CounterRNG.key([seed, 0x696e_7476]))
        var wa = [Int32](repeating: 1, count: a.imageCount)
        var wb = [Int32](repeating: 1, count: b?.imageCount ?? 0)
        let estimate = a.value(weights: wa) - (b.map { $0.value(weights: wb) } ?? 0)
        var dist: [Double] = []
        dist.reserveCapacity(resamples)
        for _ in 0..<resamples {
            Stats.resampleCounts(a.imageCount, using: &rng, into: &wa)
            var v = a.value(weights: wa)
            if let b {
                Stats.resampleCounts(b.imageCount, using: &rng, into: &wb)
                v -= b.value(weights: wb)
            }
            dist.append(v)
        }
        dist.sort()
        let (low, high) = Stats.percentileInterval(sortedDistribution: dist, confidence: confidence)
        return (estimate, low, high)
    }
}
