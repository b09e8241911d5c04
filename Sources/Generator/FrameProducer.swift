import DatasetFormat
import COCO
import Foundation
import Physics
import Randomization
import Render
import Support

/// Seconds spent per stage, summed over frames (and lanes).
public struct StageTimes: Sendable {
    public var sampling = 0.0, physics = 0.0, render = 0.0, post = 0.0, encode = 0.0, hash = 0.0, write = 0.0, coco = 0.0
    /// The parts of render and post: visibility, shading, depth of field, distortion map, final pass.
    public var visibility = 0.0, shading = 0.0, depthOfField = 0.0, distortion = 0.0, final = 0.0
    public static let names = ["sampling", "physics", "render", "post", "encode", "hash", "write", "coco"]
    public var values: [Double] { [sampling, physics, render, post, encode, hash, write, coco] }
    public static let partNames = ["visibility", "shading", "depth_of_field", "distortion", "final"]
    public var parts: [Double] { [visibility, shading, depthOfField, distortion, final] }
    public static func + (a: StageTimes, b: StageTimes) -> StageTimes {
        var r = StageTimes()
        r.sampling = a.sampling + b.sampling; r.physics = a.physics + b.physics; r.render = a.render + b.render
        r.post = a.post + b.post; r.encode = a.encode + b.encode; r.hash = a.hash + b.hash
        r.write = a.write + b.write; r.coco = a.coco + b.coco
        r.visibility = a.visibility + b.visibility; r.shading = a.shading + b.shading
        r.depthOfField = a.depthOfField + b.depthOfField; r.distortion = a.distortion + b.distortion; r.final = a.final + b.final
        return r
    }
}

/// What a lane needs to turn a frame's parameters and poses into files.
struct FrameJob {
    let sample: FrameSample
    let bodies: [BodySpec]
    let poses: [Pose]
}

/// One render lane: owns a renderer and PNG encoders (no allocation per frame once warm) and produces a
/// frame's three PNGs, their digests, its COCO entries and its log line.
final class FrameProducer {
    let config: GeneratorConfig
    let seed: UInt64
    let directory: String
    let renderer: Renderer
    let encoder = PNGEncoder()
    var times = StageTimes()

    init(config: GeneratorConfig, seed: UInt64, directory: String) {
        self.config = config; self.seed = seed; self.directory = directory
        renderer = Renderer(width: config.width, height: config.height)
    }

    func produce(_ job: FrameJob) throws -> JournalRecord {
        let f = job.sample
        let w = config.width, h = config.height
        let scene = SceneBuilder.scene(f, bodies: job.bodies, poses: job.poses, objectCount: config.objects.count)
        let camera = SceneBuilder.camera(f, sensorWidthMM: config.sensorWidthMM)
        let sensor = SceneBuilder.sensor(f, seed: seed)
        let images = renderer.render(scene, camera: camera, sensor: sensor)
        times.render += renderer.timings.raster
        times.post += renderer.timings.post
        let t = renderer.timings
        times.visibility += t.visibility; times.shading += t.shading
        times.depthOfField += t.blur; times.distortion += t.distortion; times.final += t.final

        var files: [FileEntry] = []
        let names = [DatasetLayout.rgb(f.frameId), DatasetLayout.depth(f.frameId), DatasetLayout.mask(f.frameId)]
        for (i, name) in names.enumerated() {
            let t0 = monotonicSeconds()
            let png: UnsafeRawBufferPointer
            switch i {
            case 0: png = try encoder.encode(images.rgb, width: w, height: h, channels: 3, settings: .rgb)
            case 1: png = try encoder.encode(images.depth, width: w, height: h, channels: 1, settings: .depth)
            default: png = try encoder.encode(images.ids, width: w, height: h, channels: 1, settings: .mask)
            }
            let t1 = monotonicSeconds()
            var sha = SHA256()
            sha.update(png)
            files.append(FileEntry(sha256: sha.finalizeHex(), bytes: png.count))
            let t2 = monotonicSeconds()
            try FileIO.writeAtomically(png, to: directory + "/" + name)
            let t3 = monotonicSeconds()
            times.encode += t1 - t0; times.hash += t2 - t1; times.write += t3 - t2
        }

        let t0 = monotonicSeconds()
        let record = JournalRecord(frame: f.frameId, files: files,
                                   imageJSON: imageJSON(f.frameId, names: names),
                                   annotationJSON: annotations(images, frame: f.frameId),
                                   logLine: f.jsonLine)
        times.coco += monotonicSeconds() - t0
        return record
    }

    func imageJSON(_ frame: Int, names: [String]) -> String {
        JSONText.object([("id", String(DatasetLayout.imageId(frame))), ("file_name", JSONText.string(names[0])),
                         ("width", String(config.width)), ("height", String(config.height)),
                         ("depth_file", JSONText.string(names[1])), ("mask_file", JSONText.string(names[2]))])
    }

    /// COCO annotations from the final (distorted) instance mask: compressed RLE, bbox and area from the
    /// mask itself; instances with no visible pixel get none.
    func annotations(_ images: FrameImages, frame: Int) -> [String] {
        let n = config.objects.count
        let w = images.width, h = images.height
        var x0 = [Int](repeating: Int.max, count: n + 1), y0 = x0
        var x1 = [Int](repeating: -1, count: n + 1), y1 = x1
        var area = [Int](repeating: 0, count: n + 1)
        let ids = images.ids
        let raw = UnsafeRawPointer(ids.baseAddress!)
        for y in 0..<h {
            let row = y * w
            var x = 0
            while x < w {
                // Floor and background (id 0) fill most of a frame: skip them 16 pixels at a time.
                if x + 16 <= w {
                    let p = raw + 2 * (row + x)
                    let any = p.loadUnaligned(as: UInt64.self) | p.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
                        | p.loadUnaligned(fromByteOffset: 16, as: UInt64.self) | p.loadUnaligned(fromByteOffset: 24, as: UInt64.self)
                    if any == 0 { x += 16; continue }
                }
                let end = min(x + 16, w)
                while x < end {
                    let v = Int(ids[row + x])
                    if v != 0 && v <= n {
                        area[v] += 1
                        if x < x0[v] { x0[v] = x }
                        if x > x1[v] { x1[v] = x }
                        if y < y0[v] { y0[v] = y }
                        y1[v] = y
                    }
                    x += 1
                }
            }
        }
        var out: [String] = []
        for i in 1...n where area[i] > 0 {
            let rle = RLE.encode(labels: ids, width: w, height: h, id: UInt16(i), bounds: (x0[i], y0[i], x1[i], y1[i]))
            let category = objectCategories.firstIndex(of: config.objects[i - 1])! + 1
            let segmentation = JSONText.object([("size", "[\(h),\(w)]"), ("counts", JSONText.string(rle.compressedString))])
            out.append(JSONText.object([
                ("id", String(DatasetLayout.annotationId(frame: frame, instance: i))),
                ("image_id", String(DatasetLayout.imageId(frame))),
                ("category_id", String(category)),
                ("segmentation", segmentation),
                ("area", String(area[i])),
                ("bbox", "[\(x0[i]),\(y0[i]),\(x1[i] - x0[i] + 1),\(y1[i] - y0[i] + 1)]"),
                ("iscrowd", "0"),
                ("attributes", JSONText.object([("instance_id", String(i))])),
            ]))
        }
        return out
    }
}
