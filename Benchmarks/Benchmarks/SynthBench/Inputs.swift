import COCO
import Generator
import Randomization
import Render
import Stats
import Support

// The inputs of the benchmarks, built once per process from fixed seeds, and every call into SynthBench: each
// benchmark times one function of this file, so an API change touches this file only.

/// The generator's own work: episode 0 of the `full` preset at 640×480, seed 1, as `generate` would make it.
enum Workload {
    static let config = try! GeneratorConfig.preset("full")
    static let seed: UInt64 = 1
    static let episode = EpisodeReplay(config: config, seed: seed, episode: 0)
    /// The episode's frames (scene, camera, sensor), after its physics.
    static let frames = try! episode.simulate()
    static var width: Int { config.width }
    static var height: Int { config.height }
}

/// One physics episode: ODE settling of the episode's objects and obstacles to its last frame.
func simulateEpisode() throws -> [RenderInput] { try Workload.episode.simulate() }

/// Visibility and shading of one frame into `renderer`'s buffers.
func rasterizeAndShade(_ renderer: Renderer, _ frame: RenderInput) -> Renderer.ShadedFrame {
    renderer.rasterizeAndShade(frame.scene, camera: frame.camera)
}

/// Depth of field, distortion, tone mapping, noise and packing of the frame `renderer` shaded last.
func postProcess(_ renderer: Renderer, _ shaded: Renderer.ShadedFrame, _ frame: RenderInput) -> FrameImages {
    renderer.postProcess(shaded, sensor: frame.sensor)
}

/// A rendered frame's three images, copied out of the renderer.
struct FramePixels {
    var rgb: [UInt8]
    var depth: [UInt16]
    var ids: [UInt16]

    static func render(_ frame: RenderInput) -> FramePixels {
        let renderer = Renderer(width: Workload.width, height: Workload.height)
        let images = renderer.render(frame.scene, camera: frame.camera, sensor: frame.sensor)
        return FramePixels(rgb: Array(images.rgb), depth: Array(images.depth), ids: Array(images.ids))
    }

    /// Every frame of the workload's episode.
    static let episode = Workload.frames.map(render)
}

/// The three image kinds of a frame and the PNG settings `generate` writes them with.
enum ImageKind: String, CaseIterable {
    case rgb8, depth16, mask16
}

/// Encodes one image of `pixels` as `generate` does; returns the PNG's size in bytes.
func encodePNG(_ kind: ImageKind, _ pixels: FramePixels, with encoder: PNGEncoder) throws -> Int {
    let (w, h) = (Workload.width, Workload.height)
    switch kind {
    case .rgb8:
        return try pixels.rgb.withUnsafeBufferPointer {
            try encoder.encode($0, width: w, height: h, channels: 3, settings: .rgb).count
        }
    case .depth16:
        return try pixels.depth.withUnsafeBufferPointer {
            try encoder.encode($0, width: w, height: h, channels: 1, settings: .depth).count
        }
    case .mask16:
        return try pixels.ids.withUnsafeBufferPointer {
            try encoder.encode($0, width: w, height: h, channels: 1, settings: .mask).count
        }
    }
}

/// An instance mask to encode: a frame's id image, one target object's id and its bounding rectangle.
struct MaskInstance {
    let frame: Int
    let id: UInt16
    let bounds: (x0: Int, y0: Int, x1: Int, y1: Int)

    /// Every visible target object of every frame of the workload's episode.
    static let all: [MaskInstance] = FramePixels.episode.enumerated().flatMap { f, pixels in
        (1...Workload.config.objects.count).compactMap { i -> MaskInstance? in
            var x0 = Int.max, y0 = Int.max, x1 = -1, y1 = -1
            for (p, v) in pixels.ids.enumerated() where v == UInt16(i) {
                let x = p % Workload.width, y = p / Workload.width
                x0 = min(x0, x); x1 = max(x1, x); y0 = min(y0, y); y1 = max(y1, y)
            }
            return x1 < 0 ? nil : MaskInstance(frame: f, id: UInt16(i), bounds: (x0, y0, x1, y1))
        }
    }
}

/// COCO's compressed RLE string of one instance mask, as `generate` writes it into annotations.json.
func encodeRLE(_ m: MaskInstance) -> String {
    FramePixels.episode[m.frame].ids.withUnsafeBufferPointer {
        RLE.encode(labels: $0, width: Workload.width, height: Workload.height, id: m.id, bounds: m.bounds).compressedString
    }
}

/// One-sample Kolmogorov–Smirnov test (exact p-value) of 1,000 draws of U(0.5, 2) — the audit's test of a
/// frame-scope parameter over a 1,000-frame dataset.
enum KSInput {
    static let sample: [Double] = {
        var rng = CounterRNG(key: 0x5EED_0005)
        return (0..<1000).map { _ in 0.5 + 1.5 * rng.unit() }
    }()
}

func kolmogorovSmirnov(_ sample: [Double]) throws -> TestResult {
    try Stats.kolmogorovSmirnov(sample, against: .uniform(min: 0.5, max: 2), method: .exact)
}

/// A COCO detection evaluation of 5,000 images of 640×480: 80 categories, 1–11 objects per image (6 on average),
/// and detections as a detector makes them: each object found with probability 0.8 at a jittered box with a
/// score, plus 0–3 false positives per image.
enum EvalInput {
    static let (groundTruth, detections): (COCODataset, [COCODetection]) = {
        var rng = CounterRNG(key: 0xC0C0_5000)
        func uniform(_ lo: Double, _ hi: Double) -> Double { lo + (hi - lo) * rng.unit() }
        let categories = (1...80).map { COCOCategory(id: Int64($0), name: "category\($0)") }
        var images: [COCOImage] = [], annotations: [COCOAnnotation] = [], detections: [COCODetection] = []
        func box() -> BBox {
            let w = uniform(8, 320), h = uniform(8, 240)
            return BBox(x: uniform(0, 640 - w), y: uniform(0, 480 - h), w: w, h: h)
        }
        func detect(_ image: Int64, _ category: Int64, _ b: BBox, score: Double) {
            detections.append(COCODetection(id: Int64(detections.count + 1), imageId: image, categoryId: category,
                                            score: score, bbox: b, area: b.w * b.h, segmentation: nil))
        }
        for i in 1...5000 {
            let image = Int64(i)
            images.append(COCOImage(id: image, width: 640, height: 480, fileName: "\(i).png"))
            for _ in 0..<(1 + Int(rng.next() % 11)) {
                let category = Int64(1 + rng.next() % 80), b = box()
                annotations.append(COCOAnnotation(id: Int64(annotations.count + 1), imageId: image, categoryId: category,
                                                  bbox: b, area: b.w * b.h, iscrowd: false, segmentation: nil))
                if rng.unit() < 0.8 {
                    let j = BBox(x: b.x + uniform(-0.1, 0.1) * b.w, y: b.y + uniform(-0.1, 0.1) * b.h,
                                 w: b.w * uniform(0.85, 1.15), h: b.h * uniform(0.85, 1.15))
                    detect(image, category, j, score: uniform(0.3, 1))
                }
            }
            for _ in 0..<Int(rng.next() % 4) { detect(image, Int64(1 + rng.next() % 80), box(), score: uniform(0, 0.7)) }
        }
        return (COCODataset(images: images, categories: categories, annotations: annotations), detections)
    }()
}

func evaluateBoxes(_ gt: COCODataset, _ dt: [COCODetection]) throws -> EvalResult {
    try COCOEvaluator.evaluate(gt: gt, dt: dt, iouType: .bbox)
}
