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
    /// COCOeval's per-image match records for the area range "all", when asked for
    /// (`COCOEvaluator.evaluate(…, keepImageEvaluations: true)`); empty otherwise.
    public var imageEvaluations: [ImageEvaluation] = []

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

    /// Evaluates detections (as `COCOResults.load` returns them) against a ground truth: COCOeval's evaluate
    /// (per-image matching), accumulate and summarize. With `keepImageEvaluations` the result also holds the
    /// per-image match records of the area range "all" (`EvalResult.imageEvaluations`).
    public static func evaluate(gt: COCODataset, dt: [COCODetection], iouType: IoUType,
                                params: EvalParams = .standard, keepImageEvaluations: Bool = false) throws -> EvalResult {
        precondition(params.iouThresholds.count <= 16, "at most 16 IoU thresholds")
        let index = try EvalIndex(gt: gt, dt: dt)
        try checkFields(gt, index.groundTruths.members, iouType: iouType)
        var matcher = ImageMatcher(gt: gt, dt: dt, iouType: iouType, params: params, index: index)
        var accumulation = Accumulation(params: params, categories: index.K)
        var kept: [ImageEvaluation] = []
        let A = params.areaRanges.count
        var entries = [[Accumulation.Entry]](repeating: [], count: A)
        var npig = [Int](repeating: 0, count: A)
        for k in 0..<index.K {
            for a in 0..<A { entries[a].removeAll(keepingCapacity: true); npig[a] = 0 }
            var anyImage = false
            for ii in 0..<index.I {
                let key = k * index.I + ii
                let gts = index.groundTruths.range(key), dts = index.detections.range(key)
                if gts.isEmpty && dts.isEmpty { continue }
                anyImage = true
                matcher.load(groundTruths: index.groundTruths.members[gts], detections: index.detections.members[dts])
                for a in 0..<A {
                    let keep = keepImageEvaluations && a == 0
                    matcher.match(area: a, recordMatches: keep)
                    if keep { kept.append(matcher.record(image: ii, category: k)) }
                    for ig in matcher.gtIg where !ig { npig[a] += 1 }
                    for (di, dj) in matcher.dtOrder.enumerated() {
                        entries[a].append(Accumulation.Entry(score: dt[Int(dj)].score, rank: Int32(di), flags: matcher.flags[di]))
                    }
                }
            }
            if anyImage { accumulation.add(category: k, entries: entries, counted: npig) }
        }
        var result = EvalResult(iouType: iouType, params: params, imageIds: index.imageIds, categoryIds: index.categoryIds,
                                categoryNames: index.categoryNames, precision: accumulation.precision,
                                recall: accumulation.recall, scores: accumulation.scores, stats: [],
                                groundTruthCount: gt.annotations.count, detectionCount: dt.count,
                                thresholdRecords: accumulation.thresholdRecords,
                                thresholdGroundTruths: accumulation.thresholdGroundTruths,
                                imageEvaluations: kept)
        result.stats = summarize(result)
        return result
    }

    /// Checks what this IoU type needs, for the annotations that take part.
    static func checkFields(_ gt: COCODataset, _ members: [Int32], iouType: IoUType) throws {
        for j in members {
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
