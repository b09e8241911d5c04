import COCO
import Foundation
import Support

/// COCOeval's matching of one detector against one ground truth, kept per image so that the accuracy of
/// any multiset of test images (a bootstrap resample) is recomputed without matching again.
///
/// Matching is pycocotools' `evaluateImg` for the "all" area range with 100 detections per image and
/// category: detections by descending score, greedy to the best unmatched ground truth at each IoU
/// threshold, crowds and their matches ignored. The accuracy of a resample is `accumulate` + `summarize`
/// over the resample's images, an image drawn k times counting k times. With every weight 1 it equals
/// `COCOEvaluator.evaluate`'s statistic (the tests check this to 1e-12).
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

    public init(gt: COCODataset, detections dt: [COCODetection], accuracy: AccuracyDefinition, maxDets: Int = 100) {
        self.accuracy = accuracy
        let thresholds = accuracy.iouThresholds
        self.thresholds = thresholds
        let T = thresholds.count
        var sizes: [Int64: (h: Int, w: Int)] = [:]
        for im in gt.images { sizes[im.id] = (im.height, im.width) }
        let imgIds = sizes.keys.sorted()
        var imgIndex: [Int64: Int] = [:]
        for (i, id) in imgIds.enumerated() { imgIndex[id] = i }
        let catIds = Array(Set(gt.categories.map(\.id))).sorted()
        var catIndex: [Int64: Int] = [:]
        for (k, id) in catIds.enumerated() { catIndex[id] = k }
        let I = imgIds.count, K = catIds.count
        imageIds = imgIds; categoryIds = catIds

        // Ground truths per (category, image), file order; an id given twice resolves to its last annotation.
        var lastById: [Int64: Int] = [:]
        for (i, a) in gt.annotations.enumerated() { lastById[a.id] = i }
        var gtGroups: [Int: [Int]] = [:]
        for (i, a) in gt.annotations.enumerated() {
            let r = lastById[a.id]!
            let ra = gt.annotations[r]
            guard let ii = imgIndex[a.imageId], catIndex[a.categoryId] != nil,
                  let ri = imgIndex[ra.imageId], let rk = catIndex[ra.categoryId] else { continue }
            _ = ii; _ = i
            gtGroups[rk * I + ri, default: []].append(r)
        }
        var dtGroups: [Int: [Int]] = [:]
        for (i, d) in dt.enumerated() {
            guard let ii = imgIndex[d.imageId], let k = catIndex[d.categoryId] else { continue }
            dtGroups[k * I + ii, default: []].append(i)
        }

        func rle(_ s: COCOSegmentation?, _ imageId: Int64) -> RLE {
            let size = sizes[imageId] ?? (0, 0)
            return COCOSegmentation.mask(s, height: size.h, width: size.w)
        }
        let segm = accuracy.iouType == "segm"

        var entries = [[(score: Double, image: Int32, rank: Int32, flags: UInt32)]](repeating: [], count: K)
        var counts = [[(image: Int32, count: Int32)]](repeating: [], count: K)
        for k in 0..<K {
            for ii in 0..<I {
                let key = k * I + ii
                let gts = gtGroups[key] ?? []
                var dts = dtGroups[key] ?? []
                if gts.isEmpty && dts.isEmpty { continue }
                dts.sort { x, y in dt[x].score > dt[y].score || (dt[x].score == dt[y].score && x < y) }
                if dts.count > maxDets { dts.removeSubrange(maxDets...) }
                let G = gts.count, D = dts.count
                // Ground truths: crowds (ignored) last, stable.
                func isIgnored(_ j: Int) -> Bool {
                    let a = gt.annotations[gts[j]]
                    let area = a.area ?? 0
                    return (a.iscrowd ?? false) || area < 0 || area > 1e10
                }
                let order = gts.indices.filter { !isIgnored($0) } + gts.indices.filter { isIgnored($0) }
                let ignored = order.map { isIgnored($0) }
                let crowds = order.map { gt.annotations[gts[$0]].iscrowd ?? false }
                let npig = ignored.filter { !$0 }.count
                if npig > 0 { counts[k].append((Int32(ii), Int32(npig))) }
                var ious = [Double](repeating: 0, count: D * G)
                if D > 0 && G > 0 {
                    let gtMasks = segm ? gts.map { rle(gt.annotations[$0].segmentation, gt.annotations[$0].imageId) } : []
                    for (di, dj) in dts.enumerated() {
                        let d = dt[dj]
                        let dm = segm ? rle(d.segmentation, d.imageId) : nil
                        for (gi, gj) in gts.enumerated() {
                            let g = gt.annotations[gj]
                            let crowd = g.iscrowd ?? false
                            if let dm {
                                let gm = gtMasks[gi]
                                ious[di * G + gi] = RLE.maskIoU(dm, gm, dtBox: dm.bbox, gtBox: gm.bbox, crowd: crowd)
                            } else if let gb = g.bbox {
                                ious[di * G + gi] = RLE.boxIoU((d.bbox.x, d.bbox.y, d.bbox.w, d.bbox.h), (gb.x, gb.y, gb.w, gb.h), crowd: crowd)
                            }
                        }
                    }
                }
                var flags = [UInt32](repeating: 0, count: D)
                if D > 0 && G > 0 {
                    for t in 0..<T {
                        var matched = [Bool](repeating: false, count: G)
                        let thr = Swift.min(thresholds[t], 1 - 1e-10)
                        for di in 0..<D {
                            var iou = thr
                            var m = -1
                            for gi in 0..<G {
                                if matched[gi] && !crowds[gi] { continue }
                                if m > -1 && !ignored[m] && ignored[gi] { break }
                                let v = ious[di * G + order[gi]]
                                if v < iou { continue }
                                iou = v; m = gi
                            }
                            if m == -1 { continue }
                            if ignored[m] { flags[di] |= 1 << (16 + t) }
                            if gt.annotations[gts[order[m]]].id != 0 { flags[di] |= 1 << t }
                            matched[m] = true
                        }
                    }
                }
                for di in 0..<D {
                    let d = dt[dts[di]]
                    if d.area < 0 || d.area > 1e10 {
                        for t in 0..<T where flags[di] & (1 << t) == 0 { flags[di] |= 1 << (16 + t) }
                    }
                    entries[k].append((d.score, Int32(ii), Int32(di), flags[di]))
                }
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

/// Bootstrap resampling of test images (seeded; the same seed always gives the same numbers).
public enum ImageBootstrap {
    /// Multinomial counts of one resample of `n` images.
    static func resample(_ n: Int, _ rng: inout CounterRNG, into w: inout [Int32]) {
        for i in 0..<n { w[i] = 0 }
        for _ in 0..<n { w[Int(rng.next() % UInt64(n))] += 1 }
    }

    /// Type-7 (linear interpolation) quantile of sorted values.
    static func quantile(_ sorted: [Double], _ q: Double) -> Double {
        if sorted.isEmpty { return .nan }
        let h = Double(sorted.count - 1) * q
        let lo = Int(h.rounded(.down)), hi = Swift.min(lo + 1, sorted.count - 1)
        return sorted[lo] + (h - Double(lo)) * (sorted[hi] - sorted[lo])
    }

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
            resample(n, &rng, into: &w)
            let c = candidate.value(weights: w)
            for (b, base) in baselines.enumerated() { dist[b].append(c - base.value(weights: w)) }
        }
        let a = (1 - confidence) / 2
        return baselines.indices.map { b in
            let s = dist[b].sorted()
            let atOrBelow = s.reduce(0) { $0 + ($1 <= 0 ? 1 : 0) }
            return Comparison(estimate: estimates[b], low: quantile(s, a), high: quantile(s, 1 - a),
                              pValue: Double(1 + atOrBelow) / Double(resamples + 1))
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
            resample(a.imageCount, &rng, into: &wa)
            var v = a.value(weights: wa)
            if let b {
                resample(b.imageCount, &rng, into: &wb)
                v -= b.value(weights: wb)
            }
            dist.append(v)
        }
        dist.sort()
        let q = (1 - confidence) / 2
        return (estimate, quantile(dist, q), quantile(dist, 1 - q))
    }
}
