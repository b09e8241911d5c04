import Support

public enum IoUType: String, Sendable, CaseIterable {
    case bbox, segm
}

/// COCOeval's parameters (`Params(iouType='bbox'|'segm')`), with the exact doubles numpy's linspace makes.
public struct EvalParams: Sendable {
    public var iouThresholds: [Double]
    public var recallThresholds: [Double]
    public var areaRanges: [(lo: Double, hi: Double)]
    public var areaLabels: [String]
    public var maxDets: [Int]

    public static let standard: EvalParams = {
        let step = (0.95 - 0.5) / 9.0
        var t = (0..<10).map { Double($0) * step + 0.5 }
        t[9] = 0.95
        var r = (0..<101).map { Double($0) * (1.0 / 100.0) + 0.0 }
        r[100] = 1.0
        return EvalParams(iouThresholds: t, recallThresholds: r,
                          areaRanges: [(0, 1e10), (0, 1024), (1024, 9216), (9216, 1e10)],
                          areaLabels: ["all", "small", "medium", "large"], maxDets: [1, 10, 100])
    }()
}

/// Precision and recall of the detections scoring at least a threshold (IoU 0.5, all areas, 100 detections
/// per image), counted the way COCOeval matches them: crowd and out-of-range matches are ignored.
public struct ThresholdSummary: Sendable, Equatable {
    public var threshold: Double
    public var truePositives: Int
    public var falsePositives: Int
    /// Non-ignored ground truths (the denominator of recall).
    public var groundTruths: Int
    /// -1 when no detection scores at least `threshold`.
    public var precision: Double
    /// -1 when there is no ground truth.
    public var recall: Double
}

/// COCOeval's output: the accumulated arrays in numpy's layout and the 12 summary numbers.
public struct EvalResult: Sendable {
    public var iouType: IoUType
    public var params: EvalParams
    public var imageIds: [Int64]
    public var categoryIds: [Int64]
    public var categoryNames: [String]
    /// T×R×K×A×M, row-major (`precision[t, r, k, a, m]`), -1 where undefined.
    public var precision: [Double]
    /// T×K×A×M, -1 where undefined.
    public var recall: [Double]
    /// T×R×K×A×M: the score at each precision point.
    public var scores: [Double]
    /// `COCOeval.stats`: AP, AP50, AP75, AP small/medium/large, AR1, AR10, AR100, AR small/medium/large.
    public var stats: [Double]
    public var groundTruthCount: Int
    public var detectionCount: Int
    /// Per category: (score, outcome) at IoU 0.5, all areas, maxDets 100; outcome 1 true positive, 2 false
    /// positive, 0 ignored.
    var thresholdRecords: [[(score: Double, outcome: UInt8)]]
    var thresholdGroundTruths: [Int]

    public static let statNames = [
        "AP", "AP50", "AP75", "APs", "APm", "APl", "AR1", "AR10", "AR100", "ARs", "ARm", "ARl",
    ]

    public var T: Int { params.iouThresholds.count }
    public var R: Int { params.recallThresholds.count }
    public var K: Int { categoryIds.count }
    public var A: Int { params.areaRanges.count }
    public var M: Int { params.maxDets.count }

    public func precision(t: Int, r: Int, k: Int, a: Int, m: Int) -> Double {
        precision[(((t * R + r) * K + k) * A + a) * M + m]
    }

    public func recall(t: Int, k: Int, a: Int, m: Int) -> Double {
        recall[((t * K + k) * A + a) * M + m]
    }

    /// AP of one category (mean precision over IoU thresholds and recall points, all areas, 100 detections),
    /// -1 when undefined (no ground truth).
    public func categoryAP(_ k: Int, iouThreshold: Double? = nil) -> Double {
        var sum = 0.0, n = 0
        for t in 0..<T where iouThreshold == nil || params.iouThresholds[t] == iouThreshold! {
            for r in 0..<R {
                let v = precision(t: t, r: r, k: k, a: 0, m: M - 1)
                if v > -1 { sum += v; n += 1 }
            }
        }
        return n == 0 ? -1 : sum / Double(n)
    }

    /// AR of one category at 100 detections, all areas; -1 when undefined.
    public func categoryAR(_ k: Int) -> Double {
        var sum = 0.0, n = 0
        for t in 0..<T {
            let v = recall(t: t, k: k, a: 0, m: M - 1)
            if v > -1 { sum += v; n += 1 }
        }
        return n == 0 ? -1 : sum / Double(n)
    }

    /// Precision and recall at a score threshold, over all categories (or one, by index).
    public func atScoreThreshold(_ threshold: Double, category k: Int? = nil) -> ThresholdSummary {
        var tp = 0, fp = 0, g = 0
        for c in 0..<K where k == nil || c == k! {
            g += thresholdGroundTruths[c]
            for rec in thresholdRecords[c] where rec.score >= threshold {
                if rec.outcome == 1 { tp += 1 } else if rec.outcome == 2 { fp += 1 }
            }
        }
        return ThresholdSummary(threshold: threshold, truePositives: tp, falsePositives: fp, groundTruths: g,
                                precision: tp + fp == 0 ? -1 : Double(tp) / Double(tp + fp),
                                recall: g == 0 ? -1 : Double(tp) / Double(g))
    }
}

/// pycocotools' `COCOeval` (evaluate + accumulate + summarize) for bbox and segm, number for number.
public enum COCOEvaluator {
    /// Loads both files (the results validated against the ground truth) and evaluates.
    public static func evaluate(gtPath: String, dtPath: String, iouType: IoUType) throws -> EvalResult {
        let gt = try COCODataset.load(path: gtPath)
        let dt = try COCOResults.load(path: dtPath, against: gt)
        return try evaluate(gt: gt, dt: dt, iouType: iouType)
    }

    private struct Entry {
        var score: Double
        var rank: Int32
        var flags: UInt32   // bit t: matched (dtm != 0); bit 16 + t: ignored
    }

    /// Evaluates detections (as `COCOResults.load` returns them) against a ground truth.
    public static func evaluate(gt: COCODataset, dt: [COCODetection], iouType: IoUType,
                                params: EvalParams = .standard) throws -> EvalResult {
        // Sorted unique image and category ids (p.imgIds, p.catIds).
        var imgSize: [Int64: (h: Int, w: Int)] = [:]
        for im in gt.images { imgSize[im.id] = (im.height, im.width) }
        let imgIds = imgSize.keys.sorted()
        var imgIndex: [Int64: Int] = [:]
        imgIndex.reserveCapacity(imgIds.count)
        for (i, id) in imgIds.enumerated() { imgIndex[id] = i }
        var catName: [Int64: String] = [:]
        for c in gt.categories { catName[c.id] = c.name }
        let catIds = catName.keys.sorted()
        var catIndex: [Int64: Int] = [:]
        for (k, id) in catIds.enumerated() { catIndex[id] = k }
        let I = imgIds.count, K = catIds.count
        let T = params.iouThresholds.count, R = params.recallThresholds.count
        let A = params.areaRanges.count, M = params.maxDets.count
        let maxDet = params.maxDets.max() ?? 100
        precondition(T <= 16, "at most 16 IoU thresholds")
        // The per-(category, image) tables are K × I entries: refuse what would not fit rather than trap.
        guard K.multipliedReportingOverflow(by: I).partialValue <= InputLimits.categoryImagePairs, K <= 1 << 20, I <= 1 << 26 else {
            throw InputError(file: gt.file, path: "images", message: "\(I) images × \(K) categories is more than the "
                                 + "\(InputLimits.categoryImagePairs) (category, image) pairs an evaluation may have")
        }

        // Ground truths per (category, image), in pycocotools' order: images sorted, then file order; an id
        // that occurs twice resolves to its last annotation (COCO.anns is a dict keyed by id).
        var lastById: [Int64: Int] = [:]
        lastById.reserveCapacity(gt.annotations.count)
        for (i, a) in gt.annotations.enumerated() { lastById[a.id] = i }
        func groups<S>(_ items: [S], image: (S) -> Int64, category: (S) -> Int64, resolve: (Int) -> Int)
            -> (start: [Int32], members: [Int32]) {
            // Order: by image index, then by position; members keyed by resolved item's (cat, img).
            var byImage = [[Int32]](repeating: [], count: I)
            for (i, it) in items.enumerated() {
                guard let ii = imgIndex[image(it)], catIndex[category(it)] != nil else { continue }
                byImage[ii].append(Int32(i))
            }
            var keys: [Int] = []
            var order: [Int32] = []
            for ii in 0..<I {
                for i in byImage[ii] {
                    let r = resolve(Int(i))
                    let it = items[r]
                    guard let ri = imgIndex[image(it)], let rk = catIndex[category(it)] else { continue }
                    keys.append(rk * I + ri); order.append(Int32(r))
                }
            }
            var start = [Int32](repeating: 0, count: K * I + 1)
            for k in keys { start[k + 1] += 1 }
            for j in 0..<(K * I) { start[j + 1] += start[j] }
            var fill = start
            var members = [Int32](repeating: 0, count: order.count)
            for (j, k) in keys.enumerated() { members[Int(fill[k])] = order[j]; fill[k] += 1 }
            return (start, members)
        }
        let gtGroups = groups(gt.annotations, image: { $0.imageId }, category: { $0.categoryId },
                              resolve: { lastById[gt.annotations[$0].id]! })
        let dtGroups = groups(dt, image: { $0.imageId }, category: { $0.categoryId }, resolve: { $0 })

        // Check what this IoU type needs, for the annotations that take part.
        for j in gtGroups.members {
            let a = gt.annotations[Int(j)]
            func fail(_ field: String, _ m: String) -> InputError {
                InputError(file: gt.file, path: "annotations[\(a.index)].\(field)", line: a.line, message: m)
            }
            if a.area == nil { throw fail("area", "missing (COCOeval needs it)") }
            if a.iscrowd == nil { throw fail("iscrowd", "missing (COCOeval needs it)") }
            switch iouType {
            case .bbox: if a.bbox == nil { throw fail("bbox", "missing (needed for bbox evaluation)") }
            case .segm:
                guard let s = a.segmentation else { throw fail("segmentation", "missing (needed for segm evaluation)") }
                if case .polygons(let ps) = s, ps.contains(where: { $0.contains(where: { abs($0) > 1e7 }) }) {
                    throw fail("segmentation", "polygon coordinate beyond ±1e7")
                }
                if case .polygons(let ps) = s, ps.contains(where: { RLE.polygonWalkLength($0) == nil }) {
                    throw fail("segmentation", "polygon outline longer than 3.3 million pixels")
                }
            }
        }

        // Masks for segm (COCO.annToRLE), made once per annotation that takes part.
        func toRLE(_ s: COCOSegmentation?, _ imageId: Int64) -> RLE {
            let size = imgSize[imageId] ?? (0, 0)
            return COCOSegmentation.mask(s, height: size.h, width: size.w)
        }
        var gtMask: [Int32: (rle: RLE, box: (x: Double, y: Double, w: Double, h: Double))] = [:]
        var dtMask: [(rle: RLE, box: (x: Double, y: Double, w: Double, h: Double))] = []
        if iouType == .segm {
            for j in gtGroups.members where gtMask[j] == nil {
                let a = gt.annotations[Int(j)]
                let r = toRLE(a.segmentation, a.imageId)
                gtMask[j] = (r, r.bbox)
            }
            dtMask.reserveCapacity(dt.count)
            for d in dt {
                let r = toRLE(d.segmentation, d.imageId)
                dtMask.append((r, r.bbox))
            }
        }

        var precision = [Double](repeating: -1, count: T * R * K * A * M)
        var recall = [Double](repeating: -1, count: T * K * A * M)
        var scoresOut = [Double](repeating: -1, count: T * R * K * A * M)
        var thresholdRecords = [[(score: Double, outcome: UInt8)]](repeating: [], count: K)
        var thresholdGT = [Int](repeating: 0, count: K)
        let t50 = params.iouThresholds.firstIndex(of: 0.5)

        var entries = [[Entry]](repeating: [], count: A)
        var npig = [Int](repeating: 0, count: A)
        var ious: [Double] = []
        var gtOrder: [Int] = []
        var gtIg: [Bool] = []
        var gtm = [Int64](repeating: 0, count: 0)
        var dtOrder: [Int32] = []

        for k in 0..<K {
            for a in 0..<A { entries[a].removeAll(keepingCapacity: true); npig[a] = 0 }
            var anyImage = false
            for ii in 0..<I {
                let key = k * I + ii
                let g0 = Int(gtGroups.start[key]), g1 = Int(gtGroups.start[key + 1])
                let d0 = Int(dtGroups.start[key]), d1 = Int(dtGroups.start[key + 1])
                let G = g1 - g0
                if G == 0 && d1 == d0 { continue }
                anyImage = true
                // Detections by descending score (stable), at most maxDet.
                dtOrder.removeAll(keepingCapacity: true)
                dtOrder.append(contentsOf: dtGroups.members[d0..<d1])
                dtOrder.sort { x, y in
                    let sx = dt[Int(x)].score, sy = dt[Int(y)].score
                    return sx > sy || (sx == sy && x < y)
                }
                if dtOrder.count > maxDet { dtOrder.removeSubrange(maxDet...) }
                let D = dtOrder.count
                // IoU matrix [d, g] in ground-truth file order.
                ious.removeAll(keepingCapacity: true)
                if D > 0 && G > 0 {
                    ious.reserveCapacity(D * G)
                    for dj in dtOrder {
                        let d = dt[Int(dj)]
                        for gj in gtGroups.members[g0..<g1] {
                            let g = gt.annotations[Int(gj)]
                            let crowd = g.iscrowd!
                            switch iouType {
                            case .bbox:
                                ious.append(RLE.boxIoU(d.bbox.tuple, g.bbox!.tuple, crowd: crowd))
                            case .segm:
                                let dm = dtMask[Int(dj)], gm = gtMask[gj]!
                                ious.append(RLE.maskIoU(dm.rle, gm.rle, dtBox: dm.box, gtBox: gm.box, crowd: crowd))
                            }
                        }
                    }
                }
                for a in 0..<A {
                    let (lo, hi) = params.areaRanges[a]
                    // Ground truths: ignored (crowd or out of range) last, stable.
                    gtOrder.removeAll(keepingCapacity: true)
                    gtIg.removeAll(keepingCapacity: true)
                    for pass in 0..<2 {
                        for gi in 0..<G {
                            let g = gt.annotations[Int(gtGroups.members[g0 + gi])]
                            let area = g.area!
                            let ig = g.iscrowd! || area < lo || area > hi
                            if ig == (pass == 1) { gtOrder.append(gi); gtIg.append(ig) }
                        }
                    }
                    for ig in gtIg where !ig { npig[a] += 1 }
                    if gtm.count < T * G { gtm = [Int64](repeating: 0, count: T * G) }
                    for j in 0..<(T * G) { gtm[j] = 0 }
                    var flags = [UInt32](repeating: 0, count: D)
                    if D > 0 && G > 0 {
                        for t in 0..<T {
                            let thr = Swift.min(params.iouThresholds[t], 1 - 1e-10)
                            for di in 0..<D {
                                var iou = thr
                                var m = -1
                                for gi in 0..<G {
                                    let gOrig = gtOrder[gi]
                                    let crowd = gt.annotations[Int(gtGroups.members[g0 + gOrig])].iscrowd!
                                    if gtm[t * G + gi] > 0 && !crowd { continue }
                                    if m > -1 && !gtIg[m] && gtIg[gi] { break }
                                    let v = ious[di * G + gOrig]
                                    if v < iou { continue }
                                    iou = v
                                    m = gi
                                }
                                if m == -1 { continue }
                                let gId = gt.annotations[Int(gtGroups.members[g0 + gtOrder[m]])].id
                                if gtIg[m] { flags[di] |= 1 << (16 + t) }
                                if gId != 0 { flags[di] |= 1 << t }
                                gtm[t * G + m] = dt[Int(dtOrder[di])].id
                            }
                        }
                    }
                    for di in 0..<D {
                        let d = dt[Int(dtOrder[di])]
                        let outside = d.area < lo || d.area > hi
                        if outside {
                            for t in 0..<T where flags[di] & (1 << t) == 0 { flags[di] |= 1 << (16 + t) }
                        }
                        entries[a].append(Entry(score: d.score, rank: Int32(di), flags: flags[di]))
                    }
                }
            }
            if !anyImage { continue }
            // accumulate() for this category.
            for a in 0..<A {
                let n = npig[a]
                if a == 0 {
                    thresholdGT[k] = n
                    if let t50 {
                        thresholdRecords[k] = entries[a].map { e in
                            let ig = e.flags & (1 << (16 + t50)) != 0
                            let matched = e.flags & (1 << t50) != 0
                            return (e.score, ig ? 0 : (matched ? 1 : 2))
                        }
                    }
                }
                if n == 0 { continue }
                let E = entries[a]
                var order = Array(0..<Int32(E.count))
                order.sort { x, y in
                    let sx = E[Int(x)].score, sy = E[Int(y)].score
                    return sx > sy || (sx == sy && x < y)
                }
                for (m, md) in params.maxDets.enumerated() {
                    let sel = order.filter { E[Int($0)].rank < Int32(md) }
                    let nd = sel.count
                    var rc = [Double](repeating: 0, count: nd)
                    var pr = [Double](repeating: 0, count: nd)
                    for t in 0..<T {
                        var tp = 0.0, fp = 0.0
                        for (j, e) in sel.enumerated() {
                            let f = E[Int(e)].flags
                            if f & (1 << (16 + t)) == 0 {
                                if f & (1 << t) != 0 { tp += 1 } else { fp += 1 }
                            }
                            rc[j] = tp / Double(n)
                            pr[j] = tp / (fp + tp + Double.ulpOfOne)
                        }
                        recall[((t * K + k) * A + a) * M + m] = nd > 0 ? rc[nd - 1] : 0
                        if nd > 1 {
                            for i in stride(from: nd - 1, to: 0, by: -1) where pr[i] > pr[i - 1] { pr[i - 1] = pr[i] }
                        }
                        var lo = 0
                        for r in 0..<R {
                            let thr = params.recallThresholds[r]
                            // searchsorted(rc, thr, 'left'), from the previous index (thresholds ascend).
                            var l = lo, h = nd
                            while l < h { let mid = (l + h) / 2; if rc[mid] < thr { l = mid + 1 } else { h = mid } }
                            lo = l
                            let idx = (((t * R + r) * K + k) * A + a) * M + m
                            if l >= nd {
                                for r2 in r..<R { let i2 = (((t * R + r2) * K + k) * A + a) * M + m; precision[i2] = 0; scoresOut[i2] = 0 }
                                break
                            }
                            precision[idx] = pr[l]
                            scoresOut[idx] = E[Int(sel[l])].score
                        }
                    }
                }
            }
        }

        var result = EvalResult(iouType: iouType, params: params, imageIds: imgIds, categoryIds: catIds,
                                categoryNames: catIds.map { catName[$0] ?? "" }, precision: precision, recall: recall,
                                scores: scoresOut, stats: [], groundTruthCount: gt.annotations.count,
                                detectionCount: dt.count, thresholdRecords: thresholdRecords,
                                thresholdGroundTruths: thresholdGT)
        result.stats = summarize(result)
        return result
    }

    /// COCOeval.summarize's `_summarizeDets`.
    static func summarize(_ e: EvalResult) -> [Double] {
        let p = e.params
        func mean(ap: Bool, iouThr: Double?, area: String, maxDets: Int) -> Double {
            guard let a = p.areaLabels.firstIndex(of: area), let m = p.maxDets.firstIndex(of: maxDets) else { return -1 }
            var sum = 0.0, n = 0
            for t in 0..<e.T where iouThr == nil || p.iouThresholds[t] == iouThr! {
                for k in 0..<e.K {
                    if ap {
                        for r in 0..<e.R {
                            let v = e.precision(t: t, r: r, k: k, a: a, m: m)
                            if v > -1 { sum += v; n += 1 }
                        }
                    } else {
                        let v = e.recall(t: t, k: k, a: a, m: m)
                        if v > -1 { sum += v; n += 1 }
                    }
                }
            }
            return n == 0 ? -1 : sum / Double(n)
        }
        let md = p.maxDets
        return [
            mean(ap: true, iouThr: nil, area: "all", maxDets: md[2]),
            mean(ap: true, iouThr: 0.5, area: "all", maxDets: md[2]),
            mean(ap: true, iouThr: 0.75, area: "all", maxDets: md[2]),
            mean(ap: true, iouThr: nil, area: "small", maxDets: md[2]),
            mean(ap: true, iouThr: nil, area: "medium", maxDets: md[2]),
            mean(ap: true, iouThr: nil, area: "large", maxDets: md[2]),
            mean(ap: false, iouThr: nil, area: "all", maxDets: md[0]),
            mean(ap: false, iouThr: nil, area: "all", maxDets: md[1]),
            mean(ap: false, iouThr: nil, area: "all", maxDets: md[2]),
            mean(ap: false, iouThr: nil, area: "small", maxDets: md[2]),
            mean(ap: false, iouThr: nil, area: "medium", maxDets: md[2]),
            mean(ap: false, iouThr: nil, area: "large", maxDets: md[2]),
        ]
    }
}
