import COCO
import DatasetFormat
import Foundation
import Randomization
import Stats
import Support

/// Statistics of one sampled frame's images.
struct FrameImageStats {
    var row: Int
    var frame: Int
    /// (width, height, bit depth, channels) of rgb, depth, mask; nil when the file is missing.
    var rgb: (w: Int, h: Int, bits: Int, channels: Int)?
    var depth: (w: Int, h: Int, bits: Int, channels: Int)?
    var mask: (w: Int, h: Int, bits: Int, channels: Int)?
    /// Mean luminance (Rec. 709 weights on the 8-bit values) of pixels with depth > 0.
    var sceneLuminance = Double.nan
    /// Median of each channel over background pixels (depth 0, mask 0, not black); NaN with too few of them.
    var background: [Double] = [.nan, .nan, .nan]
    var backgroundPixels = 0
    /// Robust sensor-noise estimate in 8-bit levels (Immerkær's Laplacian-difference mask, median absolute value).
    var noise = Double.nan
    /// Pixels showing a target object (mask ids 1...1000).
    var objectPixels = Double.nan
    var saturatedSamples = 0
    var rgbSamples = 0
    /// Median of the non-zero depth values, in stored units.
    var depthMedian = Double.nan
    var depthNonzero = 0
    var depthAtMost20 = 0
    var depthAtMax = 0
}

/// Checks that need the files on disk: the frame set against the log, image sizes and formats against the
/// COCO entries and the config, the depth unit and scale, double-scaled RGB, and whether the parameters
/// reach the pixels.
enum ImageChecks {
    static let kinds = DatasetLayout.imageDirectories

    static func file(_ kind: String, _ frame: Int) -> String {
        switch kind {
        case "rgb": return DatasetLayout.rgb(frame)
        case "depth": return DatasetLayout.depth(frame)
        default: return DatasetLayout.mask(frame)
        }
    }

    /// Frame numbers of `DIR/kind/kind_NNNNNN.png` files, plus names that do not fit the pattern.
    static func listing(_ dir: String, _ kind: String) -> (frames: Set<Int>, other: [String]) {
        var frames = Set<Int>(), other: [String] = []
        let prefix = kind + "_"
        for name in FileIO.listDirectory((dir as NSString).appendingPathComponent(kind)) {
            if name.hasSuffix(FileIO.temporaryMarker) { continue }
            if name.hasPrefix(prefix), name.hasSuffix(".png"), let n = Int(name.dropFirst(prefix.count).dropLast(4)), n >= 0 {
                frames.insert(n)
            } else {
                other.append(kind + "/" + name)
            }
        }
        return (frames, other)
    }

    static func hasImages(_ spec: DatasetSpec) -> Bool {
        let dir = spec.directory
        if kinds.contains(where: { FileIO.isDirectory((dir as NSString).appendingPathComponent($0)) }) { return true }
        if FileIO.exists(DatasetLayout.path(DatasetLayout.annotations, in: dir)) { return true }
        return spec.listedFiles.contains { $0.hasPrefix("rgb/") || $0.hasPrefix("depth/") || $0.hasPrefix("mask/") }
    }

    static let imageCheckIds: [(id: String, kind: String, parameters: [String])] = [
        ("files", "files", []), ("image-size", "image-size", []), ("image-format", "image-format", []),
        ("depth-unit", "depth-unit", []), ("depth-values", "depth-values", []), ("rgb-saturation", "rgb-saturation", []),
        ("pixel:light_intensity", "pixel", ["light_intensity"]),
        ("pixel:background_color[0]", "pixel", ["background_color[0]"]),
        ("pixel:background_color[1]", "pixel", ["background_color[1]"]),
        ("pixel:background_color[2]", "pixel", ["background_color[2]"]),
        ("pixel:camera_noise_std", "pixel", ["camera_noise_std"]),
        ("pixel:object_scale", "pixel", ["object_scale"]),
    ]

    static func run(_ scan: LogScan, alpha: Double, maxFrames: Int, into checks: inout [AuditCheck]) throws -> (images: Bool, decoded: Int) {
        let spec = scan.spec
        guard hasImages(spec) else {
            for c in imageCheckIds {
                checks.append(AuditCheck(id: c.id, kind: c.kind, parameters: c.parameters, level: "dataset", n: 0,
                                         verdict: .skipped, message: "no images (log-only dataset)"))
            }
            return (false, 0)
        }
        let dir = spec.directory

        // files: the log's frames against the image files and the COCO images.
        let listings = kinds.map { listing(dir, $0) }
        let coco = try cocoSizes(spec, rows: scan)
        var missingFiles = 0, firstMissing = ""
        var extraFiles = 0, firstExtra = ""
        var logFrames = Set<Int>()
        for f in scan.frameIds { logFrames.insert(Int(f)) }
        for f in logFrames.sorted() {
            for (k, kind) in kinds.enumerated() where !listings[k].frames.contains(f) {
                missingFiles += 1
                if firstMissing.isEmpty { firstMissing = file(kind, f) }
            }
        }
        for (k, kind) in kinds.enumerated() {
            for f in listings[k].frames.sorted() where !logFrames.contains(f) {
                extraFiles += 1
                if firstExtra.isEmpty { firstExtra = file(kind, f) }
            }
            extraFiles += listings[k].other.count
            if firstExtra.isEmpty, let o = listings[k].other.first { firstExtra = o }
        }
        var problems: [String] = []
        if missingFiles > 0 { problems.append("\(missingFiles) image files missing for frames in the log (first: \(firstMissing))") }
        if extraFiles > 0 { problems.append("\(extraFiles) image files for frames not in the log (first: \(firstExtra))") }
        if let coco {
            if coco.missing > 0 { problems.append("\(coco.missing) frames of the log have no annotations.json image entry") }
            if coco.extra > 0 { problems.append("\(coco.extra) annotations.json image entries for frames not in the log") }
        } else {
            problems.append("annotations.json is missing")
        }
        checks.append(AuditCheck(id: "files", kind: "files", parameters: [], level: "file", n: logFrames.count * 3,
                                 statistic: Double(missingFiles + extraFiles + (coco.map { $0.missing + $0.extra } ?? 1)),
                                 verdict: problems.isEmpty ? .pass : .fail,
                                 message: problems.isEmpty ? "rgb, depth and mask files and an annotations.json entry for every frame of the log, and none other"
                                                           : problems.joined(separator: "; ")))

        // Decode a sample of frames, evenly spaced over the log.
        let rows = scan.frameIds.count
        let k = min(rows, max(maxFrames, 0))
        let sample = (0..<k).map { $0 * rows / max(k, 1) }.filter { listings[0].frames.contains(Int(scan.frameIds[$0])) }
        var stats = [FrameImageStats?](repeating: nil, count: sample.count)
        var failure: InputError?
        let lock = NSLock()
        stats.withUnsafeMutableBufferPointer { out in
            let base = out.baseAddress!
            DispatchQueue.concurrentPerform(iterations: sample.count) { i in
                let row = sample[i]
                do {
                    base[i] = try measure(dir: dir, row: row, frame: Int(scan.frameIds[row]), hasDepth: listings[1].frames,
                                          hasMask: listings[2].frames, maxPixels: scan.spec.width * scan.spec.height)
                } catch let e as InputError {
                    lock.lock(); if failure == nil { failure = e }; lock.unlock()
                } catch {
                    lock.lock(); if failure == nil { failure = InputError(file: dir, message: "\(error)") }; lock.unlock()
                }
            }
        }
        if let failure { throw failure }
        let frames = stats.compactMap { $0 }

        checks.append(sizeCheck(spec, frames, coco: coco))
        checks.append(formatCheck(frames))
        checks.append(depthUnitCheck(spec, frames))
        checks.append(depthValuesCheck(scan, frames))
        checks.append(saturationCheck(frames))
        checks.append(contentsOf: pixelChecks(scan, frames, alpha: alpha))
        return (true, frames.count)
    }

    // MARK: - COCO image entries

    struct COCOSizes {
        var byFrame: [Int: (w: Int, h: Int)]
        var missing: Int
        var extra: Int
    }

    /// Streams `annotations.json`'s `images` (annotations are skipped unparsed): entries per frame (image id − 1).
    static func cocoSizes(_ spec: DatasetSpec, rows scan: LogScan) throws -> COCOSizes? {
        let path = DatasetLayout.path(DatasetLayout.annotations, in: spec.directory)
        guard FileIO.exists(path) else { return nil }
        var sizes: [Int: (w: Int, h: Int)] = [:]
        var extra = 0
        do {
            let r = try JSONReader(path: path)
            guard try r.peekKind() == .object else {
                let p = r.nextTokenPosition()
                throw InputError(file: path, line: p.line, column: p.column, message: "not a COCO object")
            }
            try r.beginObject()
            while let key = try r.nextKey() {
                guard key == "images" else { try r.skipValue(); continue }
                guard try r.peekKind() == .array else {
                    let p = r.nextTokenPosition()
                    throw InputError(file: path, line: p.line, column: p.column, message: "'images' is not a list")
                }
                try r.beginArray()
                var i = 0
                while try r.nextElement() {
                    let p = r.nextTokenPosition()
                    let v = try r.readValue()
                    guard let id = v["id"]?.number?.integer, let w = v["width"]?.number?.integer, let h = v["height"]?.number?.integer,
                          case let (previous, overflow) = id.subtractingReportingOverflow(1), !overflow,
                          let frame = Int(exactly: previous), let wi = Int(exactly: w), let hi = Int(exactly: h) else {
                        throw InputError(file: path, line: p.line, column: p.column,
                                              message: "images[\(i)]: id, width and height must be integers (id from -2^63 + 1)")
                    }
                    if scan.inLog(frame) { sizes[frame] = (wi, hi) } else { extra += 1 }
                    i += 1
                }
            }
            try r.finish()
        }
        var logFrames = Set<Int>()
        for f in scan.frameIds { logFrames.insert(Int(f)) }
        let missing = logFrames.filter { sizes[$0] == nil }.count
        return COCOSizes(byFrame: sizes, missing: missing, extra: extra)
    }

    // MARK: - one frame

    /// `maxPixels`: the manifest's declared image size; a PNG header declaring more is refused before decoding.
    static func measure(dir: String, row: Int, frame: Int, hasDepth: Set<Int>, hasMask: Set<Int>,
                        maxPixels: Int = InputLimits.imagePixels) throws -> FrameImageStats {
        func load(_ kind: String) throws -> PNGImage? {
            let rel = file(kind, frame)
            let path = (dir as NSString).appendingPathComponent(rel)
            guard FileIO.exists(path) else { return nil }
            do { return try PNG.decode(try FileIO.readAll(path), maxPixels: maxPixels) }
            catch { throw InputError(file: path, message: "not a readable PNG: \(error)") }
        }
        var s = FrameImageStats(row: row, frame: frame)
        guard let rgb = try load("rgb") else { return s }
        let depth = hasDepth.contains(frame) ? try load("depth") : nil
        let mask = hasMask.contains(frame) ? try load("mask") : nil
        s.rgb = (rgb.width, rgb.height, rgb.bitDepth, rgb.channels)
        if let d = depth { s.depth = (d.width, d.height, d.bitDepth, d.channels) }
        if let m = mask { s.mask = (m.width, m.height, m.bitDepth, m.channels) }
        let w = rgb.width, h = rgb.height, n = w * h
        guard rgb.bitDepth == 8, rgb.channels >= 3, rgb.bytes.count >= n * rgb.channels else { return s }
        let ch = rgb.channels
        // Per-pixel depth and mask samples, when they are single-channel images of the same size.
        func samples(_ img: PNGImage?) -> [UInt16]? {
            guard let img, img.width == w, img.height == h, img.channels == 1 else { return nil }
            if img.bitDepth == 16 { return img.words.count >= n ? img.words : nil }
            return img.bytes.count >= n ? img.bytes.map(UInt16.init) : nil
        }
        let z = samples(depth), ids = samples(mask)

        // Noise: Immerkær (1996) mask [1 −2 1; −2 4 −2; 1 −2 1] on the green channel; for Gaussian noise of
        // standard deviation σ the response is N(0, 36σ²), so σ ≈ median|response| / (6 · 0.6745).
        if w >= 3 && h >= 3 {
            var hist = [Int](repeating: 0, count: 16 * 255 + 1)
            var count = 0
            rgb.bytes.withUnsafeBufferPointer { px in
                @inline(__always) func g(_ x: Int, _ y: Int) -> Int { Int(px[ch * (y * w + x) + 1]) }
                for y in 1..<(h - 1) {
                    for x in 1..<(w - 1) {
                        let v = g(x - 1, y - 1) - 2 * g(x, y - 1) + g(x + 1, y - 1)
                            - 2 * g(x - 1, y) + 4 * g(x, y) - 2 * g(x + 1, y)
                            + g(x - 1, y + 1) - 2 * g(x, y + 1) + g(x + 1, y + 1)
                        hist[abs(v)] += 1
                        count += 1
                    }
                }
            }
            s.noise = median(histogram: hist, count: count) / (6 * 0.6745)
        }

        // Saturation and scene luminance.
        var lumSum = 0.0, lumCount = 0
        var bgHist = [[Int]](repeating: [Int](repeating: 0, count: 256), count: 3)
        var bgCount = 0
        // Where the lens distortion folds over, a pixel has no hit and is black (plus noise): background pixels
        // are those with depth 0, mask 0 and some channel above that noise floor.
        let dark = Int(max(12, 4 * (s.noise.isFinite ? s.noise : 0)).rounded(.up))
        rgb.bytes.withUnsafeBufferPointer { px in
            for i in 0..<n {
                let r = px[ch * i], g = px[ch * i + 1], b = px[ch * i + 2]
                if r == 0 || r == 255 { s.saturatedSamples += 1 }
                if g == 0 || g == 255 { s.saturatedSamples += 1 }
                if b == 0 || b == 255 { s.saturatedSamples += 1 }
                if let z {
                    if z[i] > 0 {
                        lumSum += 0.2126 * Double(r) + 0.7152 * Double(g) + 0.0722 * Double(b)
                        lumCount += 1
                    } else if (ids == nil || ids![i] == 0) && Int(max(r, g, b)) > dark {
                        bgHist[0][Int(r)] += 1; bgHist[1][Int(g)] += 1; bgHist[2][Int(b)] += 1
                        bgCount += 1
                    }
                } else {
                    lumSum += 0.2126 * Double(r) + 0.7152 * Double(g) + 0.0722 * Double(b)
                    lumCount += 1
                }
            }
        }
        s.rgbSamples = 3 * n
        if lumCount > 0 { s.sceneLuminance = lumSum / Double(lumCount) }
        s.backgroundPixels = bgCount
        if bgCount >= max(16, n / 100) {
            s.background = bgHist.map { median(histogram: $0, count: bgCount) }
        }

        if let ids {
            var area = 0
            for v in ids where v >= 1 && v <= 1000 { area += 1 }
            s.objectPixels = Double(area)
        }
        if let d = depth, d.width == w, d.height == h, d.channels == 1 {
            var hist = [Int](repeating: 0, count: 65536)
            var nz = 0
            if d.bitDepth == 16 {
                for v in d.words.prefix(n) where v > 0 { hist[Int(v)] += 1; nz += 1 }
            } else {
                for v in d.bytes.prefix(n) where v > 0 { hist[Int(v)] += 1; nz += 1 }
            }
            s.depthNonzero = nz
            if nz > 0 {
                s.depthMedian = median(histogram: hist, count: nz)
                s.depthAtMost20 = hist[1...20].reduce(0, +)
                s.depthAtMax = hist[d.bitDepth == 16 ? 65535 : 255]
            }
        }
        return s
    }

    /// The median of values given as counts per integer value.
    static func median(histogram: [Int], count: Int) -> Double {
        guard count > 0 else { return .nan }
        func kth(_ k: Int) -> Int {
            var acc = 0
            for (v, c) in histogram.enumerated() {
                acc += c
                if acc > k { return v }
            }
            return histogram.count - 1
        }
        if count % 2 == 1 { return Double(kth(count / 2)) }
        return Double(kth(count / 2 - 1) + kth(count / 2)) / 2
    }

    // MARK: - seed-code bugs

    static func sizeCheck(_ spec: DatasetSpec, _ frames: [FrameImageStats], coco: COCOSizes?) -> AuditCheck {
        let W = spec.width, H = spec.height
        var swapped = 0, other = 0, checked = 0
        var first = ""
        func describe(_ what: String, _ w: Int, _ h: Int) -> String? {
            if w == W && h == H { return nil }
            if w == H && h == W {
                swapped += 1
                return "\(what) is \(w)×\(h) but the config image is \(W)×\(H) (width and height swapped)"
            }
            other += 1
            return "\(what) is \(w)×\(h) but the config image is \(W)×\(H)"
        }
        for f in frames {
            checked += 1
            var found: String? = nil
            let entries: [(String, (w: Int, h: Int, bits: Int, channels: Int)?)] = [
                (file("rgb", f.frame), f.rgb), (file("depth", f.frame), f.depth), (file("mask", f.frame), f.mask)]
            for (name, dims) in entries {
                if let d = dims, let m = describe(name, d.w, d.h), found == nil { found = m }
            }
            if let c = coco?.byFrame[f.frame], let m = describe("annotations.json image \(f.frame + 1)", c.w, c.h), found == nil {
                found = m
            }
            if let found, first.isEmpty { first = found }
        }
        let bad = swapped + other
        return AuditCheck(id: "image-size", kind: "image-size", parameters: [], level: "file", n: checked,
                          statistic: Double(bad), verdict: bad == 0 ? .pass : .fail,
                          message: bad == 0 ? "rgb, depth, mask and COCO sizes equal the config's \(W)×\(H) in \(checked) sampled frames"
                                            : "\(bad) size mismatches (\(swapped) swapped) in \(checked) sampled frames; first: \(first)")
    }

    static func formatCheck(_ frames: [FrameImageStats]) -> AuditCheck {
        var bad = 0
        var first = ""
        for f in frames {
            let expected: [(String, (w: Int, h: Int, bits: Int, channels: Int)?, Int, Set<Int>)] = [
                (file("rgb", f.frame), f.rgb, 8, [3, 4]), (file("depth", f.frame), f.depth, 16, [1]),
                (file("mask", f.frame), f.mask, 16, [1])]
            for (name, dims, bits, channels) in expected {
                guard let d = dims else { continue }
                if d.bits != bits || !channels.contains(d.channels) {
                    bad += 1
                    if first.isEmpty { first = "\(name) is \(d.bits)-bit with \(d.channels) channel(s), expected \(bits)-bit with \(channels.sorted().map(String.init).joined(separator: " or "))" }
                }
            }
        }
        return AuditCheck(id: "image-format", kind: "image-format", parameters: [], level: "file", n: frames.count,
                          statistic: Double(bad), verdict: bad == 0 ? .pass : .fail,
                          message: bad == 0 ? "8-bit RGB, 16-bit depth and 16-bit mask in \(frames.count) sampled frames"
                                            : "\(bad) files of the wrong bit depth or channel count; first: \(first)")
    }

    static func depthUnitCheck(_ spec: DatasetSpec, _ frames: [FrameImageStats]) -> AuditCheck {
        let withDepth = frames.filter { $0.depth != nil }.count
        guard withDepth > 0 else {
            return AuditCheck(id: "depth-unit", kind: "depth-unit", parameters: [], level: "dataset", n: 0, verdict: .skipped,
                              message: "no depth images")
        }
        guard let unit = spec.depthUnit else {
            return AuditCheck(id: "depth-unit", kind: "depth-unit", parameters: [], level: "dataset", n: withDepth, verdict: .fail,
                              message: "depth images are stored but manifest.json declares no depth unit (depth.unit)")
        }
        guard let scale = spec.depthScaleToMetres else {
            return AuditCheck(id: "depth-unit", kind: "depth-unit", parameters: [], level: "dataset", n: withDepth, verdict: .fail,
                              message: "manifest.json declares depth unit '\(unit)', which is not a length unit (mm, cm, m, um) and gives no scale_to_m")
        }
        return AuditCheck(id: "depth-unit", kind: "depth-unit", parameters: [], level: "dataset", n: withDepth, statistic: scale,
                          verdict: .pass, message: "depth unit '\(unit)' declared (\(fmt(scale)) m per stored unit)")
    }

    /// Depth values must be plausible lengths for the scene in the declared unit: per frame, the median non-zero
    /// depth (in metres) within 0.1×–10× the frame's camera distance (the camera looks at the object cluster
    /// from that distance), or within 0.05–500 m without a camera_distance parameter. Fails when fewer than
    /// 90 % of the sampled frames are plausible — e.g. metres stored as integers (medians of a few mm) or a
    /// unit scaled past the 16-bit range.
    static func depthValuesCheck(_ scan: LogScan, _ frames: [FrameImageStats]) -> AuditCheck {
        let spec = scan.spec
        let scale = spec.depthScaleToMetres ?? 0.001
        let distance = scan.params.first { $0.spec.name == "camera_distance" && !$0.itemized && $0.spec.components == 1 && $0.categories.isEmpty }
        var plausible = 0, judged = 0
        var ratios: [Double] = []
        var nonzero = 0, small = 0, atMax = 0
        for f in frames where f.depthNonzero > 0 && f.depthMedian.isFinite {
            judged += 1
            nonzero += f.depthNonzero; small += f.depthAtMost20; atMax += f.depthAtMax
            let metres = f.depthMedian * scale
            if let distance {
                let d = distance.spec.scope == .frame ? distance.columns[0][f.row] : distance.columns[0][Int(scan.rowEpisode[f.row])]
                if d.isFinite && d > 0 {
                    let ratio = metres / d
                    ratios.append(ratio)
                    if ratio >= 0.1 && ratio <= 10 { plausible += 1 }
                    continue
                }
            }
            if metres >= 0.05 && metres <= 500 { plausible += 1 }
        }
        guard judged > 0 else {
            return AuditCheck(id: "depth-values", kind: "depth-values", parameters: [], level: "frame", n: 0, verdict: .skipped,
                              message: "no depth image with a non-zero value")
        }
        let fraction = Double(plausible) / Double(judged)
        ratios.sort()
        let medianRatio = ratios.isEmpty ? nil : ratios[ratios.count / 2]
        let unit = spec.depthUnit ?? "mm (the format's default; none declared)"
        var message = "median non-zero depth, in \(unit), is plausible for the scene in \(plausible) of \(judged) sampled frames"
        if let medianRatio { message += "; median depth / camera distance = \(fmt(medianRatio))" }
        let pass = fraction >= 0.9
        if !pass {
            let smallShare = Double(small) / Double(max(nonzero, 1)), maxShare = Double(atMax) / Double(max(nonzero, 1))
            if smallShare > 0.5 {
                message += String(format: "; %.0f%% of non-zero values are 1–20, as if metres were stored as integers", smallShare * 100)
            } else if maxShare > 0.5 {
                message += String(format: "; %.0f%% of non-zero values are at the format's maximum, as if scaled past its range", maxShare * 100)
            } else {
                message += "; the values are inconsistent with the declared unit"
            }
        }
        return AuditCheck(id: "depth-values", kind: "depth-values", parameters: [], level: "frame", n: judged,
                          statistic: fraction, effectSize: medianRatio, verdict: pass ? .pass : .fail, message: message)
    }

    /// RGB scaled ×255 twice saturates: most 8-bit samples end up at 0 or 255. Fails when more than half are.
    static func saturationCheck(_ frames: [FrameImageStats]) -> AuditCheck {
        let total = frames.reduce(0) { $0 + $1.rgbSamples }, saturated = frames.reduce(0) { $0 + $1.saturatedSamples }
        guard total > 0 else {
            return AuditCheck(id: "rgb-saturation", kind: "rgb-saturation", parameters: [], level: "frame", n: 0, verdict: .skipped,
                              message: "no 8-bit RGB image decoded")
        }
        let share = Double(saturated) / Double(total)
        let pass = share <= 0.5
        return AuditCheck(id: "rgb-saturation", kind: "rgb-saturation", parameters: [], level: "frame", n: frames.count,
                          statistic: share, verdict: pass ? .pass : .fail,
                          message: String(format: "%.1f%% of RGB samples are 0 or 255", share * 100)
                            + (pass ? "" : " (clipped: RGB scaled ×255 twice?)"))
    }

    // MARK: - parameters reach the pixels

    /// Smallest n for which a one-sided Spearman test at level α has power 0.8 against ρ = 0.5
    /// (Fisher z approximation: n = ((z₁₋α + z₀.₈) / atanh 0.5)² + 3).
    static func minimumUnits(alpha: Double) -> Int {
        // z₁₋α as −Φ⁻¹(α): finite and accurate for every α in (0, 1) (the caller checks that range).
        let z = -((try? Stats.normalQuantile(alpha)) ?? 0) + ((try? Stats.normalQuantile(0.8)) ?? 0)
        return Int((pow(z / atanh(0.5), 2) + 3).rounded(.up))
    }

    static func pixelChecks(_ scan: LogScan, _ frames: [FrameImageStats], alpha: Double) -> [AuditCheck] {
        let nMin = minimumUnits(alpha: alpha)
        func column(_ name: String, components: Int) -> ParameterColumns? {
            scan.params.first { $0.spec.name == name && !$0.itemized && $0.spec.components == components && $0.categories.isEmpty }
        }
        func value(_ p: ParameterColumns, _ c: Int, row: Int) -> Double {
            p.spec.scope == .frame ? p.columns[c][row] : p.columns[c][Int(scan.rowEpisode[row])]
        }
        func test(id: String, parameter: String, measure: String, level: String, _ pairs: [(Double, Double)]) -> AuditCheck {
            let x = pairs.map(\.0), y = pairs.map(\.1)
            func skip(_ why: String) -> AuditCheck {
                AuditCheck(id: id, kind: "pixel", parameters: [parameter], level: level, n: pairs.count, verdict: .skipped,
                           message: "\(parameter) ↔ \(measure): skipped, \(why)")
            }
            if x.count >= 2 && x.allSatisfy({ $0 == x[0] }) { return skip("\(parameter) is constant in this dataset") }
            if x.count < nMin {
                return skip("\(x.count) \(level)s with images, fewer than the \(nMin) needed for power 0.8 against ρ = 0.5 at α = \(fmt(alpha))")
            }
            if y.allSatisfy({ $0 == y[0] }) {
                return AuditCheck(id: id, kind: "pixel", parameters: [parameter], level: level, n: x.count, statistic: 0, pValue: 1,
                                  effectSize: 0, verdict: .fail,
                                  message: "parameter has no effect: \(measure) is the same in every \(level) while \(parameter) varies")
            }
            do {
                let r = try Stats.spearman(x, y, alternative: .greater)
                let pass = r.pValue <= alpha
                return AuditCheck(id: id, kind: "pixel", parameters: [parameter], level: level, n: x.count, statistic: r.statistic,
                                  pValue: r.pValue, effectSize: r.statistic, verdict: pass ? .pass : .fail,
                                  message: pass ? "\(parameter) ↔ \(measure): Spearman ρ > 0, one-sided"
                                                : "parameter has no effect: \(parameter) ↔ \(measure) shows no significant increase (one-sided Spearman, α = \(fmt(alpha)))")
            } catch {
                return skip("not computable: \(error)")
            }
        }
        func absent(_ id: String, _ parameter: String) -> AuditCheck {
            AuditCheck(id: id, kind: "pixel", parameters: [parameter], level: "frame", n: 0, verdict: .skipped,
                       message: "\(parameter) is not a declared parameter of this shape")
        }
        var out: [AuditCheck] = []
        if let p = column("light_intensity", components: 1) {
            out.append(test(id: "pixel:light_intensity", parameter: "light_intensity", measure: "mean luminance of scene pixels (depth > 0)",
                            level: "frame", frames.compactMap { f in
                                let x = value(p, 0, row: f.row)
                                return x.isFinite && f.sceneLuminance.isFinite ? (x, f.sceneLuminance) : nil
                            }))
        } else { out.append(absent("pixel:light_intensity", "light_intensity")) }
        let channels = ["red", "green", "blue"]
        for c in 0..<3 {
            let id = "pixel:background_color[\(c)]"
            if let p = column("background_color", components: 3) {
                out.append(test(id: id, parameter: "background_color[\(c)]",
                                measure: "median \(channels[c]) of background pixels (depth 0)", level: "frame",
                                frames.compactMap { f in
                                    let x = value(p, c, row: f.row)
                                    return x.isFinite && f.background[c].isFinite ? (x, f.background[c]) : nil
                                }))
            } else { out.append(absent(id, "background_color[\(c)]")) }
        }
        if let p = column("camera_noise_std", components: 1) {
            out.append(test(id: "pixel:camera_noise_std", parameter: "camera_noise_std",
                            measure: "high-frequency residual (Immerkær noise estimate)", level: "frame",
                            frames.compactMap { f in
                                let x = value(p, 0, row: f.row)
                                return x.isFinite && f.noise.isFinite ? (x, f.noise) : nil
                            }))
        } else { out.append(absent("pixel:camera_noise_std", "camera_noise_std")) }
        if let p = column("object_scale", components: 1) {
            // Mask area per episode (mean over its sampled frames) when the scale is drawn per episode.
            var pairs: [(Double, Double)] = []
            if p.spec.scope == .episode {
                var sums: [Int: (Double, Int)] = [:]
                for f in frames where f.objectPixels.isFinite {
                    let e = Int(scan.rowEpisode[f.row])
                    let s = sums[e] ?? (0, 0)
                    sums[e] = (s.0 + f.objectPixels, s.1 + 1)
                }
                for (e, s) in sums.sorted(by: { $0.key < $1.key }) where p.columns[0][e].isFinite {
                    pairs.append((p.columns[0][e], s.0 / Double(s.1)))
                }
            } else {
                pairs = frames.compactMap { f in
                    let x = value(p, 0, row: f.row)
                    return x.isFinite && f.objectPixels.isFinite ? (x, f.objectPixels) : nil
                }
            }
            out.append(test(id: "pixel:object_scale", parameter: "object_scale",
                            measure: p.spec.scope == .episode ? "mean mask area of the target objects per episode" : "mask area of the target objects",
                            level: p.spec.scope.rawValue, pairs))
        } else { out.append(absent("pixel:object_scale", "object_scale")) }
        return out
    }
}
