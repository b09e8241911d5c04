/// COCOeval's `accumulate`: per category, the precision/recall curves of the matched detections of every image,
/// sampled at the recall thresholds, into the T × R × K × A × M arrays of `EvalResult`.
struct Accumulation {
    /// One detection of one image at one area range, as matching left it.
    struct Entry {
        var score: Double
        /// Position among its image's detections (by score), compared with maxDets.
        var rank: Int32
        /// Bit t: matched (dtm != 0) at threshold t; bit 16 + t: ignored.
        var flags: UInt32
    }

    let params: EvalParams
    let K: Int
    var precision: [Double]
    var recall: [Double]
    var scores: [Double]
    /// Per category: (score, outcome) at IoU 0.5, all areas, maxDets 100 (see `EvalResult.thresholdRecords`).
    var thresholdRecords: [[(score: Double, outcome: UInt8)]]
    var thresholdGroundTruths: [Int]

    init(params: EvalParams, categories K: Int) {
        self.params = params
        self.K = K
        let T = params.iouThresholds.count, R = params.recallThresholds.count
        let A = params.areaRanges.count, M = params.maxDets.count
        precision = [Double](repeating: -1, count: T * R * K * A * M)
        recall = [Double](repeating: -1, count: T * K * A * M)
        scores = [Double](repeating: -1, count: T * R * K * A * M)
        thresholdRecords = [[(score: Double, outcome: UInt8)]](repeating: [], count: K)
        thresholdGroundTruths = [Int](repeating: 0, count: K)
    }

    /// Adds category `k`: `entries[a]` the detections of all its images at area range a (image order, then rank),
    /// `counted[a]` its ground truths that are not ignored there.
    mutating func add(category k: Int, entries: [[Entry]], counted: [Int]) {
        for a in 0..<params.areaRanges.count {
            let n = counted[a]
            if a == 0 { keepThresholdRecords(category: k, entries[a], groundTruths: n) }
            if n == 0 { continue }
            let E = entries[a]
            var order = Array(0..<Int32(E.count))
            order.sort { x, y in
                let sx = E[Int(x)].score, sy = E[Int(y)].score
                return sx > sy || (sx == sy && x < y)
            }
            for (m, md) in params.maxDets.enumerated() {
                let sel = order.filter { E[Int($0)].rank < Int32(md) }
                for t in 0..<params.iouThresholds.count {
                    curve(E, sel, groundTruths: n, t: t, k: k, a: a, m: m)
                }
            }
        }
    }

    /// Records at IoU 0.5 for `EvalResult.atScoreThreshold`.
    private mutating func keepThresholdRecords(category k: Int, _ E: [Entry], groundTruths n: Int) {
        thresholdGroundTruths[k] = n
        guard let t50 = params.iouThresholds.firstIndex(of: 0.5) else { return }
        thresholdRecords[k] = E.map { e in
            let ig = e.flags & (1 << (16 + t50)) != 0
            let matched = e.flags & (1 << t50) != 0
            return (e.score, ig ? 0 : (matched ? 1 : 2))
        }
    }

    /// One precision/recall curve (threshold t, area a, maxDets m): cumulative true and false positives over
    /// the selected detections, recall at the end, precision made monotone and sampled at the recall thresholds.
    private mutating func curve(_ E: [Entry], _ sel: [Int32], groundTruths n: Int, t: Int, k: Int, a: Int, m: Int) {
        let R = params.recallThresholds.count, A = params.areaRanges.count, M = params.maxDets.count
        let nd = sel.count
        var rc = [Double](repeating: 0, count: nd)
        var pr = [Double](repeating: 0, count: nd)
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
                for r2 in r..<R { let i2 = (((t * R + r2) * K + k) * A + a) * M + m; precision[i2] = 0; scores[i2] = 0 }
                break
            }
            precision[idx] = pr[l]
            scores[idx] = E[Int(sel[l])].score
        }
    }
}
