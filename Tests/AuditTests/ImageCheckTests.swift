import Foundation
import Testing
@testable import Audit
import Randomization
import Support
import TestSupport

/// Generated datasets with images: an honest one passes every check, including the pixel checks; the seed
/// chapter's bugs (swapped width/height, depth without a unit or in metres, RGB scaled ×255 twice), missing
/// files and parameters without effect are caught.
@Suite(.tags(.slow)) struct ImageCheckTests {
    static var honest: String { AuditFixture.honest }

    @Test func honestGeneratedDatasetPasses() throws {
        let r = try Auditor.audit(directory: Self.honest)
        #expect(r.passed, "\(r.failures.map { "\($0.id): \($0.message)" })")
        #expect(r.images && r.imageFrames == 160)
        for id in ["files", "image-size", "image-format", "depth-unit", "depth-values", "rgb-saturation",
                   "pixel:light_intensity", "pixel:background_color[0]", "pixel:background_color[1]",
                   "pixel:background_color[2]", "pixel:object_scale"] {
            #expect(r.check(id)?.verdict == .pass, "\(id): \(r.check(id)?.message ?? "absent")")
        }
        // camera_noise_std is constant in the full preset: skipped, not failed.
        let noise = try #require(r.check("pixel:camera_noise_std"))
        #expect(noise.verdict == .skipped && noise.message.contains("constant in this dataset"))
        #expect(r.check("pixel:object_scale")?.level == "episode")
        #expect(r.check("pixel:object_scale")?.n == 40)
        // Depth in mm: the median depth is about the camera distance.
        let ratio = try #require(r.check("depth-values")?.effectSize)
        #expect(ratio > 0.5 && ratio < 2)
    }

    @Test func decodingFewerFramesSkipsUnderpoweredPixelChecks() throws {
        let r = try Auditor.audit(directory: Self.honest, options: AuditOptions(alpha: 0.01, maxImageFrames: 20))
        #expect(r.passed)
        #expect(r.imageFrames == 20)
        let c = try #require(r.check("pixel:light_intensity"))
        #expect(c.verdict == .skipped && c.message.contains("fewer than the \(ImageChecks.minimumUnits(alpha: 0.01)) needed"))
        #expect(ImageChecks.minimumUnits(alpha: 0.01) == 37)
        #expect(ImageChecks.minimumUnits(alpha: 0.05) == 24)
    }

    @Test func noiseReachesThePixelsWhenRandomized() throws {
        var c = AuditFixture.small()
        c.distributions["camera_noise_std"] = .uniform(min: 0, max: 0.05)
        let dir = try AuditFixture.generate(c, frames: 60, seed: 3)
        defer { AuditFixture.remove(dir) }
        let r = try Auditor.audit(directory: dir)
        let noise = try #require(r.check("pixel:camera_noise_std"))
        #expect(noise.verdict == .pass, "\(noise.message)")
        #expect((noise.effectSize ?? 0) > 0.8)
        // 15 episodes are too few for the object-scale check: skipped, and the audit still passes.
        #expect(r.check("pixel:object_scale")?.verdict == .skipped)
        #expect(r.passed, "\(r.failures.map { "\($0.id): \($0.message)" })")
    }

    // MARK: - seed-code bugs

    @Test func transposedImagesAreCaught() throws {
        let dir = try AuditFixture.copy(Self.honest, tag: "transposed")
        defer { AuditFixture.remove(dir) }
        try AuditFixture.rewritePNGs(dir, kind: "rgb", AuditFixture.transposed)
        let r = try Auditor.audit(directory: dir)
        let c = try #require(r.check("image-size"))
        #expect(c.verdict == .fail)
        #expect(c.message.contains("rgb/rgb_000000.png is 72×96 but the config image is 96×72 (width and height swapped)"), "\(c.message)")
        #expect(c.message.contains("160 size mismatches (160 swapped)"), "\(c.message)")
        #expect(r.exitCode == 1)
    }

    @Test func swappedCOCOSizesAreCaught() throws {
        let dir = try AuditFixture.copy(Self.honest, tag: "cocoswap")
        defer { AuditFixture.remove(dir) }
        let path = dir + "/annotations.json"
        let text = String(decoding: try FileIO.readAll(path), as: UTF8.self)
        try FileIO.writeAtomically(text.replacingOccurrences(of: "\"width\":96,\"height\":72", with: "\"width\":72,\"height\":96"), to: path)
        let r = try Auditor.audit(directory: dir)
        let c = try #require(r.check("image-size"))
        #expect(c.verdict == .fail)
        #expect(c.message.contains("annotations.json image 1 is 72×96"), "\(c.message)")
    }

    @Test func depthInMetresIsCaught() throws {
        let dir = try AuditFixture.copy(Self.honest, tag: "metres")
        defer { AuditFixture.remove(dir) }
        // The seed code's depth: metres as integers (millimetres / 1000, rounded).
        try AuditFixture.rewritePNGs(dir, kind: "depth") { img in
            var out = img
            out.words = img.words.map { UInt16((Double($0) / 1000).rounded()) }
            return out
        }
        let r = try Auditor.audit(directory: dir)
        let c = try #require(r.check("depth-values"))
        #expect(c.verdict == .fail)
        #expect(c.message.contains("as if metres were stored as integers"), "\(c.message)")
        #expect((c.effectSize ?? 1) < 0.01)
    }

    @Test func depthBeyondPlausibleIsCaught() throws {
        let dir = try AuditFixture.copy(Self.honest, tag: "micro")
        defer { AuditFixture.remove(dir) }
        // Micrometres in a millimetre file: clipped at the 16-bit maximum.
        try AuditFixture.rewritePNGs(dir, kind: "depth") { img in
            var out = img
            out.words = img.words.map { $0 == 0 ? 0 : UInt16(min(Double($0) * 1000, 65535)) }
            return out
        }
        let c = try #require(try Auditor.audit(directory: dir).check("depth-values"))
        #expect(c.verdict == .fail)
        #expect(c.message.contains("at the format's maximum"), "\(c.message)")
    }

    @Test func depthWithoutUnitIsCaught() throws {
        let dir = try AuditFixture.copy(Self.honest, tag: "nounit")
        defer { AuditFixture.remove(dir) }
        let path = dir + "/manifest.json"
        let text = String(decoding: try FileIO.readAll(path), as: UTF8.self)
        let stripped = text.replacingOccurrences(of: "\"depth\":{\"unit\":\"mm\",\"kind\":\"z-depth\",\"scale_to_m\":0.001,", with: "\"depth\":{\"kind\":\"z-depth\",")
        #expect(stripped != text)
        try FileIO.writeAtomically(stripped, to: path)
        let r = try Auditor.audit(directory: dir)
        let c = try #require(r.check("depth-unit"))
        #expect(c.verdict == .fail)
        #expect(c.message.contains("declares no depth unit"))
        #expect(r.check("depth-values")?.verdict == .pass)   // the values are still millimetres
    }

    @Test func rgbScaledTwiceIsCaught() throws {
        let dir = try AuditFixture.copy(Self.honest, tag: "x255")
        defer { AuditFixture.remove(dir) }
        // RGB already in 0–255 multiplied by 255 again and clipped to 8 bits.
        try AuditFixture.rewritePNGs(dir, kind: "rgb") { img in
            var out = img
            out.bytes = img.bytes.map { UInt8(min(Int($0) * 255, 255)) }
            return out
        }
        let r = try Auditor.audit(directory: dir)
        let c = try #require(r.check("rgb-saturation"))
        #expect(c.verdict == .fail)
        #expect((c.statistic ?? 0) > 0.9)
        #expect(c.message.contains("scaled ×255 twice"))
    }

    @Test func eightBitDepthIsCaught() throws {
        let dir = try AuditFixture.copy(Self.honest, tag: "depth8")
        defer { AuditFixture.remove(dir) }
        try AuditFixture.rewritePNGs(dir, kind: "depth") { img in
            var out = img
            out.bitDepth = 8
            out.bytes = img.words.map { UInt8(min(Int($0) / 100, 255)) }
            out.words = []
            return out
        }
        let c = try #require(try Auditor.audit(directory: dir).check("image-format"))
        #expect(c.verdict == .fail)
        #expect(c.message.contains("depth/depth_000000.png is 8-bit"), "\(c.message)")
    }

    // MARK: - files

    @Test func missingAndExtraFilesAreCaught() throws {
        let dir = try AuditFixture.copy(Self.honest, tag: "files")
        defer { AuditFixture.remove(dir) }
        try FileIO.remove(dir + "/mask/mask_000007.png")
        try FileManager.default.copyItem(atPath: dir + "/rgb/rgb_000001.png", toPath: dir + "/rgb/rgb_000500.png")
        let c = try #require(try Auditor.audit(directory: dir).check("files"))
        #expect(c.verdict == .fail)
        #expect(c.message.contains("1 image files missing for frames in the log (first: mask/mask_000007.png)"), "\(c.message)")
        #expect(c.message.contains("1 image files for frames not in the log (first: rgb/rgb_000500.png)"), "\(c.message)")
    }

    @Test func logMissingFramesThatHaveImages() throws {
        let dir = try AuditFixture.copy(Self.honest, tag: "logshort")
        defer { AuditFixture.remove(dir) }
        try AuditFixture.editLines(dir + "/randomization.jsonl") { i, l in i >= 150 ? nil : l }
        let r = try Auditor.audit(directory: dir)
        #expect(r.check("frames")?.verdict == .fail)
        #expect(r.check("frames")?.message.contains("10 frames of frame_range [0, 160) missing from the log") == true)
        #expect(r.check("files")?.message.contains("30 image files for frames not in the log") == true)
        #expect(r.check("files")?.message.contains("10 annotations.json image entries for frames not in the log") == true)
    }

    @Test func corruptPNGIsBadInput() throws {
        let dir = try AuditFixture.copy(Self.honest, tag: "corrupt")
        defer { AuditFixture.remove(dir) }
        try FileIO.writeAtomically([UInt8](repeating: 7, count: 100), to: dir + "/depth/depth_000003.png")
        let e = #expect(throws: InputError.self) { try Auditor.audit(directory: dir) }
        #expect(e?.file.hasSuffix("depth/depth_000003.png") == true, "\(String(describing: e))")
        #expect(e?.message.contains("not a readable PNG") == true)
    }

    // MARK: - parameters without effect

    /// Rewrites the log so that `name` is permuted among units: same values, same distribution, but no longer
    /// the values the images were rendered with.
    static func permuted(_ name: String, episodes: Bool) throws -> String {
        let dir = try AuditFixture.copy(Self.honest, tag: "noeffect")
        let path = dir + "/randomization.jsonl"
        var lines = String(decoding: try FileIO.readAll(path), as: UTF8.self).split(separator: "\n").map(String.init)
        let fpe = 4
        let units = episodes ? lines.count / fpe : lines.count
        var values = (0..<units).map { AuditFixture.getParam(lines[episodes ? $0 * fpe : $0], name) }
        var rng = CounterRNG(key: 77)
        values.shuffle(using: &rng)
        for i in lines.indices { lines[i] = AuditFixture.setParam(lines[i], name, values[episodes ? i / fpe : i]) }
        try FileIO.writeAtomically(lines.joined(separator: "\n") + "\n", to: path)
        return dir
    }

    @Test(arguments: [("light_intensity", false), ("object_scale", true)])
    func parameterWithoutEffectFails(_ name: String, _ episodes: Bool) throws {
        let dir = try Self.permuted(name, episodes: episodes)
        defer { AuditFixture.remove(dir) }
        let r = try Auditor.audit(directory: dir)
        let c = try #require(r.check("pixel:\(name)"))
        #expect(c.verdict == .fail, "\(c.message) ρ = \(c.statistic ?? .nan)")
        #expect(c.message.hasPrefix("parameter has no effect"))
        #expect(r.check("values:\(name)")?.verdict == .pass)
        #expect(r.failures.map(\.id) == ["pixel:\(name)"])
    }
}
