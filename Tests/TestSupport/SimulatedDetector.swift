import COCO
import Foundation
import Support

/// A seeded stand-in for a trained detector, for calibrating the grader: every ground-truth box is dropped
/// with probability `missRate`, otherwise reported with its edges jittered; each image also gets
/// hallucinated boxes (Poisson, mean `falsePositivesPerImage`). True detections score in `trueScores`,
/// hallucinations in `falseScores`; when those ranges do not overlap and the jitter keeps IoU above 0.5,
/// every true detection outranks every false one and the detector's AP@0.5 is known in advance:
/// `(⌊100 · recall⌋ + 1) / 101` per category, recall ≈ 1 − missRate.
public struct SimulatedDetector: Sendable, Equatable {
    public var missRate: Double
    /// Standard deviation of the box-edge noise, as a fraction of the box's width and height.
    public var jitter: Double
    public var falsePositivesPerImage: Double
    public var trueScores: ClosedRange<Double>
    public var falseScores: ClosedRange<Double>
    public var seed: UInt64
    /// How misses are drawn.
    public enum Misses: Sendable, Equatable {
        /// Each ground truth independently with probability `missRate` (recall varies from sample to sample).
        case independent
        /// Exactly round(missRate × n) of each category's n ground truths, chosen at random (recall is fixed).
        case exact
    }
    public var misses: Misses

    public init(missRate: Double, jitter: Double = 0.03, falsePositivesPerImage: Double = 0.3,
                trueScores: ClosedRange<Double> = 0.5...1.0, falseScores: ClosedRange<Double> = 0.0...0.45, seed: UInt64,
                misses: Misses = .independent) {
        self.missRate = missRate; self.jitter = jitter; self.falsePositivesPerImage = falsePositivesPerImage
        self.trueScores = trueScores; self.falseScores = falseScores; self.seed = seed; self.misses = misses
    }

    /// AP@0.5 expected of this detector when true detections outrank false ones (a fraction).
    public var expectedAP50: Double {
        let recall = 1 - missRate
        return (Double(Int((recall * 100).rounded(.down))) + 1) / 101
    }

    /// Detections for every image of `gt` (ids 1…n in output order), deterministic in the seed and the
    /// ground truth's ids: the same annotation is dropped or kept the same way whatever else the file holds.
    public func detect(_ gt: COCODataset) -> [COCODetection] {
        var out: [COCODetection] = []
        let categories = Array(Set(gt.categories.map(\.id))).sorted()
        var byImage: [Int64: [COCOAnnotation]] = [:]
        for a in gt.annotations where !(a.iscrowd ?? false) { byImage[a.imageId, default: []].append(a) }
        // Exact mode: per category, the annotations with the lowest keyed hashes are the misses.
        var dropped = Set<Int64>()
        if misses == .exact {
            var byCategory: [Int64: [Int64]] = [:]
            for a in gt.annotations where !(a.iscrowd ?? false) && a.bbox != nil { byCategory[a.categoryId, default: []].append(a.id) }
            for (_, ids) in byCategory {
                let order = ids.sorted {
                    let ha = CounterRNG.key([seed, 0x6d69_7373, UInt64(bitPattern: $0)]), hb = CounterRNG.key([seed, 0x6d69_7373, UInt64(bitPattern: $1)])
                    return ha < hb || (ha == hb && $0 < $1)
                }
                let n = Int((missRate * Double(ids.count)).rounded())
                dropped.formUnion(order.prefix(n))
            }
        }
        for im in gt.images.sorted(by: { $0.id < $1.id }) {
            for a in byImage[im.id] ?? [] {
                guard let b = a.bbox, b.w > 0, b.h > 0 else { continue }
                var rng = CounterRNG(seed, 0x6774, UInt64(bitPattern: a.id))
                let u = rng.unit()
                if misses == .exact ? dropped.contains(a.id) : u < missRate { continue }
                let x = b.x + rng.normal() * jitter * b.w
                let y = b.y + rng.normal() * jitter * b.h
                let w = b.w * exp(rng.normal() * jitter)
                let h = b.h * exp(rng.normal() * jitter)
                let score = trueScores.lowerBound + rng.unit() * (trueScores.upperBound - trueScores.lowerBound)
                out.append(COCODetection(id: 0, imageId: im.id, categoryId: a.categoryId, score: score,
                                         bbox: BBox(x: x, y: y, w: w, h: h), area: w * h, segmentation: nil))
            }
            guard !categories.isEmpty, falsePositivesPerImage > 0 else { continue }
            var rng = CounterRNG(seed, 0x6670, UInt64(bitPattern: im.id))
            // Poisson by inversion.
            var k = 0
            var p = exp(-falsePositivesPerImage), cdf = p
            let u = rng.unit()
            while u > cdf && k < 1000 { k += 1; p *= falsePositivesPerImage / Double(k); cdf += p }
            let W = Double(im.width), H = Double(im.height)
            for _ in 0..<k {
                let w = W * (0.05 + 0.2 * rng.unit()), h = H * (0.05 + 0.2 * rng.unit())
                let x = (W - w) * rng.unit(), y = (H - h) * rng.unit()
                let c = categories[Int(rng.next() % UInt64(categories.count))]
                let score = falseScores.lowerBound + rng.unit() * (falseScores.upperBound - falseScores.lowerBound)
                out.append(COCODetection(id: 0, imageId: im.id, categoryId: c, score: score,
                                         bbox: BBox(x: x, y: y, w: w, h: h), area: w * h, segmentation: nil))
            }
        }
        for i in out.indices { out[i].id = Int64(i + 1); out[i].index = i }
        return out
    }

    /// A COCO results file (one detection per line) for `detections`; with `decimals`, boxes and scores are
    /// rounded as a detector's export usually is.
    public static func resultsJSON(_ detections: [COCODetection], decimals: Int? = nil) -> String {
        if detections.isEmpty { return "[]\n" }
        func r(_ x: Double) -> Double {
            guard let decimals else { return x }
            let p = pow(10.0, Double(decimals))
            return (x * p).rounded() / p
        }
        var s = "[\n"
        for (i, d) in detections.enumerated() {
            s += "{\"image_id\":\(d.imageId),\"category_id\":\(d.categoryId),\"bbox\":"
            s += JSONText.array([r(d.bbox.x), r(d.bbox.y), r(d.bbox.w), r(d.bbox.h)]) + ",\"score\":" + JSONText.number(r(d.score)) + "}"
            s += i + 1 < detections.count ? ",\n" : "\n"
        }
        return s + "]\n"
    }
}
