import Foundation
@testable import Audit
import DatasetFormat
@testable import Generator
import Randomization
import Support

/// Datasets for the audit suites: log-only datasets written straight from the Sampler (fast, any size), small
/// generated datasets with images, and rewrites of their files that reproduce known bugs.
enum AuditFixture {
    static func tempDir(_ tag: String) -> String {
        NSTemporaryDirectory() + "synthbench-audit-\(tag)-\(UUID().uuidString.prefix(8))"
    }

    static func remove(_ dir: String) { try? FileManager.default.removeItem(atPath: dir) }

    /// The manifest `generate` would write for `config` (no files listed), as text.
    static func manifestJSON(_ config: GeneratorConfig, frames: Int, seed: UInt64) -> String {
        Manifest(seed: seed, totalFrames: frames, frameRange: 0..<frames, shard: (1, 1), configJSON: config.canonicalJSON,
                 configHash: config.hash, files: [:], runJSON: "{}").json
    }

    /// Writes manifest.json and randomization.jsonl (no images) for `frames` frames drawn by the Sampler.
    /// `mutate` may change a frame's values before the line is written (it sees the frame and its values).
    @discardableResult
    static func logOnly(_ config: GeneratorConfig = try! .preset("full"), frames: Int, seed: UInt64, into dir: String? = nil,
                        mutate: ((FrameSample, inout [String: ParamValue]) -> Void)? = nil) throws -> String {
        let out = dir ?? tempDir("log")
        try FileIO.makeDirectory(out)
        let sampler = Sampler(config: config, seed: seed)
        let log = try AppendFile(path: out + "/randomization.jsonl", truncateTo: 0)
        var k = -1
        var episode: [String: ParamValue] = [:]
        for f in 0..<frames {
            let e = f / config.framesPerEpisode
            if e != k { episode = sampler.episode(e); k = e }
            let s = sampler.frame(episode: e, index: f % config.framesPerEpisode, episodeValues: episode)
            var v = s.values
            mutate?(s, &v)
            log.append(line(s, v) + "\n")
            try log.flushIfLarge()
        }
        try log.flush()
        try FileIO.writeAtomically(manifestJSON(config, frames: frames, seed: seed), to: out + "/manifest.json")
        return out
    }

    /// A log line as the generator writes it, with `values` in place of the frame's own.
    static func line(_ s: FrameSample, _ values: [String: ParamValue]) -> String {
        let params = ParameterSpace.all.map { ($0.name, values[$0.name]!.json) }
        return JSONText.object([("frame_id", String(s.frameId)), ("episode", String(s.episode)), ("step", String(s.step)),
                                ("params", JSONText.object(params))])
    }

    /// A small configuration for generated datasets (debug builds render slowly).
    static func small(_ preset: String = "full", width: Int = 96, height: Int = 72, framesPerEpisode: Int = 4) -> GeneratorConfig {
        var c = try! GeneratorConfig.preset(preset)
        c.width = width; c.height = height; c.framesPerEpisode = framesPerEpisode
        return c
    }

    static func generate(_ config: GeneratorConfig, frames: Int, seed: UInt64 = 11, into dir: String? = nil) throws -> String {
        let out = dir ?? tempDir("gen")
        var o = GenerateOptions(config: config, frames: frames, envs: 4, lanes: 2, seed: seed, output: out)
        o.progress = false
        _ = try Generator.run(o)
        return out
    }

    /// 160 frames of the full preset at 96×72, 4 frames per episode (40 episodes: enough for the object-scale
    /// pixel check's power rule at α = 0.01). Generated once per test process; copy before changing it.
    static let honest: String = try! generate(small(), frames: 160)

    /// A copy of a dataset directory.
    static func copy(_ dir: String, tag: String) throws -> String {
        let out = tempDir(tag)
        try FileManager.default.copyItem(atPath: dir, toPath: out)
        return out
    }

    /// Rewrites every PNG of `kind` in `dir` through `transform`.
    static func rewritePNGs(_ dir: String, kind: String, _ transform: (PNGImage) -> PNGImage) throws {
        let encoder = PNGEncoder()
        for name in FileIO.listDirectory(dir + "/" + kind) where name.hasSuffix(".png") {
            let path = dir + "/" + kind + "/" + name
            let out = transform(try PNG.decode(try FileIO.readAll(path)))
            let bytes: [UInt8]
            if out.bitDepth == 16 {
                bytes = try out.words.withUnsafeBufferPointer {
                    Array(try encoder.encode($0, width: out.width, height: out.height, channels: out.channels, settings: .depth))
                }
            } else {
                bytes = try out.bytes.withUnsafeBufferPointer {
                    Array(try encoder.encode($0, width: out.width, height: out.height, channels: out.channels, settings: .rgb))
                }
            }
            try FileIO.writeAtomically(bytes, to: path)
        }
    }

    /// The image with rows and columns exchanged (a W×H image becomes H×W).
    static func transposed(_ img: PNGImage) -> PNGImage {
        var out = img
        out.width = img.height; out.height = img.width
        let c = img.channels
        for y in 0..<img.height {
            for x in 0..<img.width {
                for k in 0..<c {
                    let src = (y * img.width + x) * c + k, dst = (x * img.height + y) * c + k
                    if img.bitDepth == 16 { out.words[dst] = img.words[src] } else { out.bytes[dst] = img.bytes[src] }
                }
            }
        }
        return out
    }

    /// Rewrites one line-by-line text file.
    static func editLines(_ path: String, _ edit: (Int, String) -> String?) throws {
        let text = String(decoding: try FileIO.readAll(path), as: UTF8.self)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        var out: [String] = []
        for (i, l) in lines.enumerated() { if let e = edit(i, l) { out.append(e) } }
        try FileIO.writeAtomically(out.joined(separator: "\n") + "\n", to: path)
    }

    /// Replaces the JSON value of `key` inside `params` on one log line (values are numbers, strings or arrays).
    static func setParam(_ line: String, _ key: String, _ value: String) -> String {
        guard let r = line.range(of: "\"\(key)\":") else { return line }
        var i = r.upperBound
        var depth = 0
        var inString = false
        while i < line.endIndex {
            let c = line[i]
            if inString { if c == "\"" { inString = false } }
            else if c == "\"" { inString = true }
            else if c == "[" { depth += 1 }
            else if c == "]" { depth -= 1 }
            else if (c == "," || c == "}") && depth == 0 { break }
            i = line.index(after: i)
        }
        return String(line[..<r.upperBound]) + value + String(line[i...])
    }

    /// The raw JSON text of `key`'s value on one log line.
    static func getParam(_ line: String, _ key: String) -> String {
        guard let r = line.range(of: "\"\(key)\":") else { return "" }
        let rest = setParam(line, key, "\u{1}")
        let tailStart = rest.range(of: "\u{1}")!.upperBound
        let tail = rest[tailStart...]
        let end = line.index(line.endIndex, offsetBy: -tail.count)
        return String(line[r.upperBound..<end])
    }
}
