import Support

/// COCOeval's `evaluateImg` record of one (category, image) pair: which detections matched which ground truth
/// at each IoU threshold, and which of either are ignored. `COCOEvaluator.evaluate(…, keepImageEvaluations: true)`
/// returns one per pair that has a ground truth or a detection, for the area range "all" (`params.areaRanges[0]`),
/// in category order, then image order (COCOeval's `evalImgs` for that area range).
public struct ImageEvaluation: Sendable, Equatable {
    /// Index into `EvalResult.imageIds`.
    public var imageIndex: Int
    /// Index into `EvalResult.categoryIds`.
    public var categoryIndex: Int
    /// Indices into the evaluated detections, by descending score (ties in input order), at most
    /// `params.maxDets.max()` of them (`dtIds`).
    public var detections: [Int32]
    /// The detections' scores, in the same order (`dtScores`).
    public var scores: [Double]
    /// Indices into the ground truth's `annotations`, not ignored first, then ignored (crowd or out of the area
    /// range), each part in file order (`gtIds`).
    public var groundTruths: [Int32]
    /// Per ground truth, in the order of `groundTruths` (`gtIgnore`).
    public var groundTruthIgnored: [Bool]
    /// Thresholds × detections, row-major: the id of the ground truth each detection matched at each IoU
    /// threshold, 0 when none (`dtMatches`; COCOeval counts a match with a ground truth of id 0 as none).
    public var detectionMatches: [Int64]
    /// Thresholds × detections: matched to an ignored ground truth, or unmatched and out of the area range
    /// (`dtIgnore`).
    public var detectionIgnored: [Bool]
    /// Thresholds × ground truths: the id of the detection each ground truth matched, 0 when none (`gtMatches`).
    public var groundTruthMatches: [Int64]

    /// Whether detection `d` (a position in `detections`) counts as a true positive at threshold index `t`.
    public func isMatched(_ d: Int, threshold t: Int) -> Bool { detectionMatches[t * detections.count + d] != 0 }

    /// Whether detection `d` is left out of the counts at threshold index `t`.
    public func isIgnored(_ d: Int, threshold t: Int) -> Bool { detectionIgnored[t * detections.count + d] }

    /// Ground truths that count (not ignored): the denominator of recall for this pair.
    public var countedGroundTruths: Int { groundTruthIgnored.reduce(0) { $0 + ($1 ? 0 : 1) } }
}

/// The ids, indices and per-(category, image) groups an evaluation works on (COCOeval's `_prepare`).
struct EvalIndex {
    /// Start offsets (K × I + 1) and members (item indices) of the groups keyed by category × I + image.
    struct Groups {
        var start: [Int32]
        var members: [Int32]
        func range(_ key: Int) -> Range<Int> { Int(start[key])..<Int(start[key + 1]) }
    }

    let imageIds: [Int64]
    let imageSize: [Int64: (h: Int, w: Int)]
    let categoryIds: [Int64]
    let categoryNames: [String]
    let groundTruths: Groups
    let detections: Groups
    var I: Int { imageIds.count }
    var K: Int { categoryIds.count }

    /// Sorted unique image and category ids (p.imgIds, p.catIds) and the ground truths and detections of each
    /// (category, image) pair, in pycocotools' order: images sorted, then file order; a ground-truth id that
    /// occurs twice resolves to its last annotation (COCO.anns is a dict keyed by id).
    init(gt: COCODataset, dt: [COCODetection]) throws {
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
        // The per-(category, image) tables are K × I entries: refuse what would not fit rather than trap.
        guard K.multipliedReportingOverflow(by: I).partialValue <= InputLimits.categoryImagePairs, K <= 1 << 20, I <= 1 << 26 else {
            throw InputError(file: gt.file, path: "images", message: "\(I) images × \(K) categories is more than the "
                                 + "\(InputLimits.categoryImagePairs) (category, image) pairs an evaluation may have")
        }
        var lastById: [Int64: Int] = [:]
        lastById.reserveCapacity(gt.annotations.count)
        for (i, a) in gt.annotations.enumerated() { lastById[a.id] = i }
        func groups<S>(_ items: [S], image: (S) -> Int64, category: (S) -> Int64, resolve: (Int) -> Int) -> Groups {
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
            return Groups(start: start, members: members)
        }
        imageIds = imgIds
        imageSize = imgSize
        categoryIds = catIds
        categoryNames = catIds.map { catName[$0] ?? "" }
        groundTruths = groups(gt.annotations, image: { $0.imageId }, category: { $0.categoryId },
                              resolve: { lastById[gt.annotations[$0].id]! })
        detections = groups(dt, image: { $0.imageId }, category: { $0.categoryId }, resolve: { $0 })
    }
}

/// COCOeval's `evaluateImg` for one (category, image) pair at every area range: detections ranked by score, the
/// IoU matrix, then greedy matching at each IoU threshold. Holds reusable scratch buffers.
struct ImageMatcher {
    typealias Box = (x: Double, y: Double, w: Double, h: Double)
    let gt: COCODataset
    let dt: [COCODetection]
    let iouType: IoUType
    let params: EvalParams
    let maxDet: Int
    /// Masks for segm (COCO.annToRLE), made once per annotation that takes part.
    var gtMask: [Int32: (rle: RLE, box: Box)] = [:]
    var dtMask: [(rle: RLE, box: Box)] = []

    // Scratch for the pair in hand.
    private(set) var dtOrder: [Int32] = []
    private var gtMembers: ArraySlice<Int32> = []
    private var ious: [Double] = []
    private(set) var gtOrder: [Int] = []
    private(set) var gtIg: [Bool] = []
    private(set) var gtm: [Int64] = []
    private(set) var dtm: [Int64] = []
    private(set) var flags: [UInt32] = []

    init(gt: COCODataset, dt: [COCODetection], iouType: IoUType, params: EvalParams, index: EvalIndex) {
        self.gt = gt; self.dt = dt; self.iouType = iouType; self.params = params
        maxDet = params.maxDets.max() ?? 100
        if iouType == .segm {
            func toRLE(_ s: COCOSegmentation?, _ imageId: Int64) -> RLE {
                let size = index.imageSize[imageId] ?? (0, 0)
                return COCOSegmentation.mask(s, height: size.h, width: size.w)
            }
            for j in index.groundTruths.members where gtMask[j] == nil {
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
    }

    var detectionCount: Int { dtOrder.count }
    var groundTruthCount: Int { gtMembers.count }

    /// Starts a pair: detections by descending score (stable), at most maxDet, and the IoU matrix [d, g] in
    /// ground-truth file order.
    mutating func load(groundTruths: ArraySlice<Int32>, detections: ArraySlice<Int32>) {
        gtMembers = groundTruths
        dtOrder.removeAll(keepingCapacity: true)
        dtOrder.append(contentsOf: detections)
        dtOrder.sort { x, y in
            let sx = dt[Int(x)].score, sy = dt[Int(y)].score
            return sx > sy || (sx == sy && x < y)
        }
        if dtOrder.count > maxDet { dtOrder.removeSubrange(maxDet...) }
        ious.removeAll(keepingCapacity: true)
        let D = dtOrder.count, G = gtMembers.count
        guard D > 0 && G > 0 else { return }
        ious.reserveCapacity(D * G)
        for dj in dtOrder {
            let d = dt[Int(dj)]
            for gj in gtMembers {
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

    /// Matches the loaded pair for area range `a`. Afterwards `gtOrder`/`gtIg` hold the ground truths (ignored
    /// last, stable), `flags` per detection (bit t: matched at threshold t, bit 16 + t: ignored), `gtm` the
    /// matched detection ids (T × G) and, when `recordMatches`, `dtm` the matched ground-truth ids (T × D).
    mutating func match(area a: Int, recordMatches: Bool) {
        let (lo, hi) = params.areaRanges[a]
        let T = params.iouThresholds.count
        let D = dtOrder.count, G = gtMembers.count
        let g0 = gtMembers.startIndex
        // Ground truths: ignored (crowd or out of range) last, stable.
        gtOrder.removeAll(keepingCapacity: true)
        gtIg.removeAll(keepingCapacity: true)
        for pass in 0..<2 {
            for gi in 0..<G {
                let g = gt.annotations[Int(gtMembers[g0 + gi])]
                let area = g.area!
                let ig = g.iscrowd! || area < lo || area > hi
                if ig == (pass == 1) { gtOrder.append(gi); gtIg.append(ig) }
            }
        }
        if gtm.count < T * G { gtm = [Int64](repeating: 0, count: T * G) }
        for j in 0..<(T * G) { gtm[j] = 0 }
        if recordMatches { dtm = [Int64](repeating: 0, count: T * D) }
        flags = [UInt32](repeating: 0, count: D)
        if D > 0 && G > 0 {
            for t in 0..<T {
                let thr = Swift.min(params.iouThresholds[t], 1 - 1e-10)
                for di in 0..<D {
                    var iou = thr
                    var m = -1
                    for gi in 0..<G {
                        let gOrig = gtOrder[gi]
                        let crowd = gt.annotations[Int(gtMembers[g0 + gOrig])].iscrowd!
                        if gtm[t * G + gi] > 0 && !crowd { continue }
                        if m > -1 && !gtIg[m] && gtIg[gi] { break }
                        let v = ious[di * G + gOrig]
                        if v < iou { continue }
                        iou = v
                        m = gi
                    }
                    if m == -1 { continue }
                    let gId = gt.annotations[Int(gtMembers[g0 + gtOrder[m]])].id
                    if gtIg[m] { flags[di] |= 1 << (16 + t) }
                    if gId != 0 { flags[di] |= 1 << t }
                    gtm[t * G + m] = dt[Int(dtOrder[di])].id
                    if recordMatches { dtm[t * D + di] = gId }
                }
            }
        }
        // Unmatched detections out of the area range are ignored.
        for di in 0..<D {
            let d = dt[Int(dtOrder[di])]
            if d.area < lo || d.area > hi {
                for t in 0..<T where flags[di] & (1 << t) == 0 { flags[di] |= 1 << (16 + t) }
            }
        }
    }

    /// The public record of the last `match(area:recordMatches: true)`.
    func record(image ii: Int, category k: Int) -> ImageEvaluation {
        let T = params.iouThresholds.count, D = dtOrder.count, G = gtMembers.count
        var ignored = [Bool](repeating: false, count: T * D)
        for t in 0..<T { for di in 0..<D { ignored[t * D + di] = flags[di] & (1 << (16 + t)) != 0 } }
        return ImageEvaluation(imageIndex: ii, categoryIndex: k, detections: dtOrder,
                               scores: dtOrder.map { dt[Int($0)].score },
                               groundTruths: gtOrder.map { gtMembers[gtMembers.startIndex + $0] },
                               groundTruthIgnored: gtIg, detectionMatches: dtm, detectionIgnored: ignored,
                               groundTruthMatches: Array(gtm[0..<(T * G)]))
    }
}
