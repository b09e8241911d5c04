import Foundation
@testable import Generator
import Randomization
import Support

/// Small, fast configurations and helpers shared by the generator suites.
enum Fixture {
    static func tempDir(_ tag: String) -> String {
        let p = NSTemporaryDirectory() + "synthbench-\(tag)-\(UUID().uuidString.prefix(8))"
        return p
    }

    static func small(_ preset: String = "full", width: Int = 96, height: Int = 72, framesPerEpisode: Int = 4,
                      renderEvery: Int = 15) -> GeneratorConfig {
        var c = try! GeneratorConfig.preset(preset)
        c.width = width; c.height = height
        c.framesPerEpisode = framesPerEpisode; c.renderEvery = renderEvery
        return c
    }

    /// Every parameter fixed at its nominal value: `none` with its content parameters fixed too (one scene per
    /// frame index, the same in every episode), a baseline on which one parameter can change alone.
    static func nominal(width: Int = 96, height: Int = 72, framesPerEpisode: Int = 4, renderEvery: Int = 15) -> GeneratorConfig {
        var c = small("none", width: width, height: height, framesPerEpisode: framesPerEpisode, renderEvery: renderEvery)
        for spec in ParameterSpace.all where spec.isContent { c.distributions[spec.name] = .constant(spec.nominal) }
        return c
    }

    @discardableResult
    static func generate(_ config: GeneratorConfig, frames: Int, envs: Int = 4, lanes: Int = 2, seed: UInt64 = 7,
                         shard: (Int, Int) = (1, 1), into dir: String? = nil, resume: Bool = false,
                         cancelAfter: Int? = nil) throws -> String {
        let out = dir ?? tempDir("gen")
        var o = GenerateOptions(config: config, frames: frames, envs: envs, lanes: lanes, seed: seed, output: out)
        o.shard = shard; o.progress = false; o.resume = resume
        _ = try Generator.run(o) { written in
            if let cancelAfter, written >= cancelAfter { throw Cancelled(frames: written) }
        }
        return out
    }

    /// SHA-256 of every file under `dir` (relative path → digest), read from disk.
    static func digests(_ dir: String, excluding: Set<String> = ["manifest.json"]) -> [String: String] {
        var out: [String: String] = [:]
        let e = FileManager.default.enumerator(atPath: dir)!
        while let rel = e.nextObject() as? String {
            var isDir: ObjCBool = false
            FileManager.default.fileExists(atPath: dir + "/" + rel, isDirectory: &isDir)
            if isDir.boolValue || excluding.contains(rel) { continue }
            out[rel] = SHA256.hex(FileManager.default.contents(atPath: dir + "/" + rel)!)
        }
        return out
    }

    /// Digests of the image files only (rgb, depth, mask).
    static func imageDigests(_ dir: String) -> [String: String] {
        digests(dir).filter { $0.key.hasSuffix(".png") }
    }
}

/// Thrown by a test's frame observer to cancel a generate run.
struct Cancelled: Error, Equatable { let frames: Int }
