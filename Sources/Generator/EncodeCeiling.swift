import DatasetFormat
import Foundation
import Render
import Support

/// The encode ceiling: libpng alone, with the generator's settings, on a dataset's own frames (RGB, depth and
/// mask decoded once into memory), on `lanes` threads. A generator cannot beat the time its output takes to
/// encode, so its speed is reported as a ratio of this.
public enum EncodeCeiling {
    public struct Result {
        public var frames: Int
        public var seconds: Double
        public var framesPerSecond: Double { Double(frames) / seconds }
    }

    /// Encodes `passes` times each of up to `maxFrames` frames of the dataset in `directory`.
    public static func measure(directory: String, lanes: Int, maxFrames: Int = 40, passes: Int = 3) throws -> Result {
        let manifest = try Manifest.read(path: directory + "/" + DatasetLayout.manifest)
        let frames = Array(manifest.frameRange.prefix(maxFrames))
        guard !frames.isEmpty else { throw GeneratorError.badInput(directory, "dataset has no frames") }
        let pixels = declaredPixels(manifest)
        // Frames as the generator writes them: RGB 8-bit × 3, depth and mask 16-bit × 1 (anything else would be
        // encoded with the wrong layout).
        let load = { (name: String, bits: Int, channels: Int) -> PNGImage in
            let path = directory + "/" + name
            let img: PNGImage
            do { img = try PNG.decode(FileIO.readAll(path), maxPixels: pixels) }
            catch let e as PNGError { throw GeneratorError.badInput(path, "not a readable PNG: \(e)") }
            guard img.bitDepth == bits, img.channels == channels else {
                throw GeneratorError.badInput(path, "\(img.bitDepth)-bit, \(img.channels) channel(s): expected \(bits)-bit, \(channels) channel(s)")
            }
            return img
        }
        let images = try frames.map { f in
            (try load(DatasetLayout.rgb(f), 8, 3), try load(DatasetLayout.depth(f), 16, 1), try load(DatasetLayout.mask(f), 16, 1))
        }
        let jobs = images.count * passes
        final class Queue: @unchecked Sendable {
            let lock = NSLock()
            var next = 0
            var failure: Error?
            func take() -> Int { lock.lock(); defer { lock.unlock() }; next += 1; return next - 1 }
            func fail(_ e: Error) { lock.lock(); failure = e; lock.unlock() }
        }
        let queue = Queue()
        let group = DispatchGroup()
        let start = monotonicSeconds()
        for _ in 0..<max(1, lanes) {
            group.enter()
            let t = Thread {
                let encoder = PNGEncoder()
                while true {
                    let i = queue.take()
                    if i >= jobs { break }
                    let (rgb, depth, mask) = images[i % images.count]
                    do {
                        _ = try rgb.bytes.withUnsafeBufferPointer {
                            try encoder.encode($0, width: rgb.width, height: rgb.height, channels: 3, settings: .rgb) }
                        _ = try depth.words.withUnsafeBufferPointer {
                            try encoder.encode($0, width: depth.width, height: depth.height, channels: 1, settings: .depth) }
                        _ = try mask.words.withUnsafeBufferPointer {
                            try encoder.encode($0, width: mask.width, height: mask.height, channels: 1, settings: .mask) }
                    } catch { queue.fail(error) }
                }
                group.leave()
            }
            t.start()
        }
        group.wait()
        if let failure = queue.failure { throw failure }
        return Result(frames: jobs, seconds: monotonicSeconds() - start)
    }

    /// Pixels per frame the manifest's config declares (a PNG declaring more is refused before decoding).
    static func declaredPixels(_ m: Manifest) -> Int {
        guard let c = try? JSONSerialization.jsonObject(with: Data(m.configJSON.utf8)) as? [String: Any],
              let image = c["image"] as? [String: Any], let w = image["width"] as? Int, let h = image["height"] as? Int,
              let n = InputLimits.pixels(width: w, height: h) else { return InputLimits.imagePixels }
        return n
    }
}
