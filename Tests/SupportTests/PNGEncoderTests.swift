import CLibDeflate
import Foundation
import Testing
@testable import Support

/// Every PNG the encoders write must decode, with libpng (the reference decoder we link) and with Pillow, to the
/// very pixels that went in; the same pixels and settings must give the same bytes.
@Suite struct PNGEncoderTests {
    /// One image of each kind the generator writes, or any other width, height and content.
    struct Image: CustomStringConvertible {
        var name: String
        var width: Int
        var height: Int
        var channels: Int
        var bytes: [UInt8] = []     // 8-bit samples
        var words: [UInt16] = []    // 16-bit samples
        var is16: Bool { !words.isEmpty }
        var description: String { "\(name) \(width)×\(height)×\(channels)" }
    }

    /// Scene-like content: flat regions (runs), smooth gradients (small SUB/UP residuals), noise (literals).
    static func scene(_ kind: String, width: Int, height: Int, seed: UInt64) -> Image {
        var rng = SplitMix(seed)
        switch kind {
        case "rgb":
            var b = [UInt8](repeating: 0, count: width * height * 3)
            for y in 0..<height {
                for x in 0..<width {
                    let i = (y * width + x) * 3
                    let inBox = x > width / 4 && x < width / 2 && y > height / 3 && y < 2 * height / 3
                    let noise = UInt8(truncatingIfNeeded: rng.next() % 7)
                    b[i] = inBox ? 200 : UInt8(truncatingIfNeeded: x * 255 / max(1, width)) &+ noise
                    b[i + 1] = inBox ? 30 : UInt8(truncatingIfNeeded: y * 255 / max(1, height))
                    b[i + 2] = inBox ? 30 : 90 &+ noise
                }
            }
            return Image(name: kind, width: width, height: height, channels: 3, bytes: b)
        case "depth":
            var w = [UInt16](repeating: 0, count: width * height)
            for y in 0..<height {
                for x in 0..<width {
                    // A floor (depth grows towards the top), a box nearer the camera, and a far-plane sky (65535).
                    let floor = UInt16(clamping: 1500 + (height - y) * 40 + Int(rng.next() % 3))
                    let box = x > width / 3 && x < 2 * width / 3 && y > height / 2
                    w[y * width + x] = y < height / 5 ? 65535 : (box ? 900 : floor)
                }
            }
            return Image(name: kind, width: width, height: height, channels: 1, words: w)
        default:
            var w = [UInt16](repeating: 0, count: width * height)
            for y in 0..<height {
                for x in 0..<width {
                    let dx = x - width / 2, dy = y - height / 2
                    if dx * dx + dy * dy < (width * width) / 16 { w[y * width + x] = 3 }
                    if x < width / 5 && y > height / 2 { w[y * width + x] = 1001 }
                }
            }
            return Image(name: kind, width: width, height: height, channels: 1, words: w)
        }
    }

    static let settings: [PNGSettings] = {
        var s: [PNGSettings] = [.libpngRGB, .libpngDepth, .libpngMask, .libpng(.paeth, level: 6, .defaultStrategy)]
        for f in [PNGSettings.Filter.none, .sub, .up] {
            for level in [1, 2, 6, 12] { s.append(.libdeflate(f, level: level)) }
            for d in 0...4 { s.append(.runs(f, distance: d)) }
        }
        return s
    }()

    static let kinds = ["rgb", "depth", "mask"]

    func encode(_ im: Image, _ s: PNGSettings, with encoder: PNGEncoder = PNGEncoder()) throws -> [UInt8] {
        if im.is16 {
            return try im.words.withUnsafeBufferPointer {
                Array(try encoder.encode($0, width: im.width, height: im.height, channels: im.channels, settings: s))
            }
        }
        return try im.bytes.withUnsafeBufferPointer {
            Array(try encoder.encode($0, width: im.width, height: im.height, channels: im.channels, settings: s))
        }
    }

    func expectRoundTrip(_ im: Image, _ s: PNGSettings, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let png = try encode(im, s)
        let d = try PNG.decode(png)
        #expect(d.width == im.width && d.height == im.height && d.channels == im.channels
                && d.bitDepth == (im.is16 ? 16 : 8), "\(im) \(s)", sourceLocation: sourceLocation)
        if im.is16 { #expect(d.words == im.words, "\(im) \(s)", sourceLocation: sourceLocation) }
        else { #expect(d.bytes == im.bytes, "\(im) \(s)", sourceLocation: sourceLocation) }
    }

    @Test(arguments: kinds, settings)
    func sceneDecodesToTheSamePixelsWithLibpng(kind: String, settings: PNGSettings) throws {
        try expectRoundTrip(Self.scene(kind, width: 97, height: 61, seed: 7), settings)
    }

    /// Shapes that reach the coder's edge cases: one pixel, one row, one column, runs that cross row ends,
    /// a whole image of one value (a run as long as the image), and incompressible noise (the stored fallback).
    @Test(arguments: [(1, 1), (1, 300), (300, 1), (2, 2), (257, 3), (640, 5)], settings)
    func edgeShapes(size: (Int, Int), settings: PNGSettings) throws {
        let (w, h) = size
        var rng = SplitMix(UInt64(w * 1000 + h))
        let flat = Image(name: "flat", width: w, height: h, channels: 3, bytes: [UInt8](repeating: 77, count: w * h * 3))
        let noise = Image(name: "noise", width: w, height: h, channels: 3,
                          bytes: (0..<(w * h * 3)).map { _ in UInt8(truncatingIfNeeded: rng.next()) })
        let noise16 = Image(name: "noise16", width: w, height: h, channels: 1,
                            words: (0..<(w * h)).map { _ in UInt16(truncatingIfNeeded: rng.next()) })
        let flat16 = Image(name: "flat16", width: w, height: h, channels: 1, words: [UInt16](repeating: 65535, count: w * h))
        for im in [flat, noise, noise16, flat16] { try expectRoundTrip(im, settings) }
    }

    /// Random images of random size and structure (runs of random length and value between bursts of noise),
    /// each through a random setting: 300 cases from a fixed seed.
    @Test func fuzzRoundTrip() throws {
        var rng = SplitMix(0xf022)
        let encoder = PNGEncoder()
        for case_ in 0..<300 {
            let w = 1 + Int(rng.next() % 200), h = 1 + Int(rng.next() % 40)
            let channels = rng.next() % 2 == 0 ? 1 : 3
            let is16 = rng.next() % 2 == 0
            let n = w * h * channels
            var values = [UInt16](repeating: 0, count: n)
            var i = 0
            while i < n {
                let len = 1 + Int(rng.next() % (rng.next() % 3 == 0 ? 600 : 8))
                let runOf = rng.next() % 2 == 0
                let v = UInt16(truncatingIfNeeded: rng.next())
                for j in i..<min(n, i + len) { values[j] = runOf ? v : UInt16(truncatingIfNeeded: rng.next()) }
                i += len
            }
            var im = Image(name: "fuzz\(case_)", width: w, height: h, channels: channels)
            if is16 { im.words = values } else { im.bytes = values.map { UInt8(truncatingIfNeeded: $0) } }
            let s = Self.settings[Int(rng.next() % UInt64(Self.settings.count))]
            let png = try encode(im, s, with: encoder)
            let d = try PNG.decode(png)
            #expect(is16 ? d.words == im.words : d.bytes == im.bytes, "\(im) \(s)")
        }
    }

    @Test(arguments: settings)
    func sameInputGivesSameBytes(settings: PNGSettings) throws {
        let im = Self.scene("rgb", width: 64, height: 48, seed: 3)
        let shared = PNGEncoder()
        let a = try encode(im, settings, with: shared)
        _ = try encode(Self.scene("depth", width: 33, height: 9, seed: 1), .depth, with: shared)  // buffers reused
        let b = try encode(im, settings, with: shared)
        let c = try encode(im, settings)
        #expect(a == b && b == c)
    }

    @Test func invalidSettingsAreRefused() {
        let im = Self.scene("mask", width: 8, height: 8, seed: 1)
        for s in [PNGSettings.runs(.paeth, distance: 0), .runs(.sub, distance: 5), .libdeflate(.sub, level: 13),
                  .libdeflate(.average, level: 1)] {
            #expect(throws: PNGError.self) { try encode(im, s) }
        }
    }

    /// The run coder's zlib stream alone, inflated by libdeflate's decompressor.
    @Test(arguments: [0, 1, 2, 3, 4])
    func runCoderStreamInflatesToItsInput(distance: Int) throws {
        var rng = SplitMix(UInt64(distance))
        var inputs: [[UInt8]] = [[], [9], [UInt8](repeating: 0, count: 100_000), (0..<70_000).map { UInt8($0 % 251) }]
        inputs.append((0..<50_000).map { _ in UInt8(truncatingIfNeeded: rng.next()) })
        inputs.append((0..<50_000).map { i in i % 1000 < 600 ? 5 : UInt8(truncatingIfNeeded: rng.next() % 4) })
        for data in inputs {
            let z = RunCoder.zlib(data, distance: distance)
            #expect(!z.isEmpty)
            let d = libdeflate_alloc_decompressor()!
            defer { libdeflate_free_decompressor(d) }
            var out = [UInt8](repeating: 0, count: data.count + 1)
            var got = 0
            let rc = z.withUnsafeBytes { zb in
                out.withUnsafeMutableBytes { ob in
                    libdeflate_zlib_decompress(d, zb.baseAddress, zb.count, ob.baseAddress, ob.count, &got)
                }
            }
            #expect(rc == LIBDEFLATE_SUCCESS && Array(out.prefix(got)) == data, "\(data.count) bytes, distance \(distance)")
        }
    }

    /// Pillow (a decoder no one here wrote) reads every image kind in every setting the generator may choose
    /// to the same samples. Skipped when the reference Python environment has no Pillow.
    @Test(.enabled(if: PillowCheck.available)) func pillowDecodesToTheSamePixels() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("png-pillow-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var expected: [String: String] = [:]
        var k = 0
        for kind in Self.kinds {
            let im = Self.scene(kind, width: 131, height: 77, seed: 11)
            // The samples as Pillow's numpy array gives them: uint8, or uint16 little-endian.
            let raw: [UInt8] = im.is16 ? im.words.flatMap { [UInt8($0 & 0xff), UInt8($0 >> 8)] } : im.bytes
            for s in Self.settings {
                let name = "\(k).png"; k += 1
                try Data(try encode(im, s)).write(to: dir.appendingPathComponent(name))
                expected[name] = SHA256.hex(raw)
            }
        }
        let script = """
        import hashlib, os, sys
        import numpy as np
        from PIL import Image
        d = sys.argv[1]
        for n in sorted(os.listdir(d)):
            a = np.asarray(Image.open(os.path.join(d, n)))
            a = a.astype('<u2') if a.dtype != np.uint8 else a
            print(n, hashlib.sha256(np.ascontiguousarray(a).tobytes()).hexdigest())
        """
        let r = PillowCheck.run(["-c", script, dir.path])
        #expect(r.status == 0, "\(r.output)")
        var seen = 0
        for line in r.output.split(separator: "\n") {
            let parts = line.split(separator: " ")
            guard parts.count == 2, let want = expected[String(parts[0])] else { continue }
            seen += 1
            #expect(String(parts[1]) == want, "\(parts[0])")
        }
        #expect(seen == expected.count)
    }
}

/// SplitMix64: a tiny seeded generator for test images.
struct SplitMix {
    var state: UInt64
    init(_ seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}

enum PillowCheck {
    static var executable: String { ProcessInfo.processInfo.environment["SYNTHBENCH_PYTHON"] ?? "python3" }
    static func run(_ args: [String]) -> (status: Int32, output: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = [executable] + args
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        do { try p.run() } catch { return (-1, "\(error)") }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }
    static let available: Bool = run(["-c", "import PIL, numpy"]).status == 0
}
