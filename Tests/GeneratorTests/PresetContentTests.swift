import Foundation
import Testing
@testable import Generator
import Randomization
import Support
import TestSupport

/// The presets differ only in what they randomize: `none`, `light` and `full` show the same scenes (content
/// parameters) for the same seed, and differ in the domain parameters as each preset says.
@Suite(.tags(.slow)) struct PresetContentTests {
    /// The parameters of every line of a dataset's randomization.jsonl, each value as canonical JSON text.
    static func logValues(_ dir: String) throws -> [[String: String]] {
        let text = String(decoding: try FileIO.readAll(dir + "/randomization.jsonl"), as: UTF8.self)
        return try text.split(separator: "\n").map { line in
            let obj = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let params = try #require(obj["params"] as? [String: Any])
            return try params.mapValues { v in
                String(decoding: try JSONSerialization.data(withJSONObject: [v], options: [.sortedKeys]), as: UTF8.self)
            }
        }
    }

    static func maskDigests(_ dir: String) -> [String] {
        Fixture.digests(dir).filter { $0.key.hasPrefix("mask/") }.map(\.value)
    }

    /// The case: `none` at 1K frames (125 episodes of 8) must not repeat a handful of scenes.
    @Test func noneAt1KFramesHasManyDistinctMasks() throws {
        let dir = try Fixture.generate(Fixture.small("none", framesPerEpisode: 8), frames: 1000, envs: 8, lanes: 2, seed: 3)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let masks = Self.maskDigests(dir)
        #expect(masks.count == 1000)
        let distinct = Set(masks).count
        #expect(distinct >= 100, "none at 1K frames has \(distinct) distinct instance masks")
    }

    /// The degenerate case the presets no longer produce: every parameter fixed gives one scene per frame
    /// index, whatever the number of episodes.
    @Test func fixedContentRepeatsTheSameScenes() throws {
        let dir = try Fixture.generate(Fixture.nominal(framesPerEpisode: 4), frames: 32, envs: 4, lanes: 2, seed: 3)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let masks = Self.maskDigests(dir)
        #expect(masks.count == 32)
        #expect(Set(masks).count <= 4)
    }

    /// Same seed: identical content parameters on every line of the three logs; domain parameters fixed at
    /// one value by `none`, randomized for lighting only by `light`, randomized wherever `full` says by `full`.
    @Test func presetsShareContentAndDifferInDomain() throws {
        var logs: [String: [[String: String]]] = [:]
        var geometry: [String: [String: String]] = [:]
        for preset in GeneratorConfig.presetNames {
            let dir = try Fixture.generate(Fixture.small(preset, framesPerEpisode: 4), frames: 24, envs: 3, lanes: 2, seed: 17)
            defer { try? FileManager.default.removeItem(atPath: dir) }
            logs[preset] = try Self.logValues(dir)
            geometry[preset] = Fixture.digests(dir).filter { $0.key.hasPrefix("mask/") || $0.key.hasPrefix("depth/") }
        }
        // none and light fix the same physics and lens: the same scenes, hence the same masks and depth; full
        // also randomizes physics, object scale and lens, so its objects rest elsewhere.
        #expect(geometry["none"]!.count == 48)
        #expect(geometry["none"] == geometry["light"])
        let unchanged = geometry["full"]!.filter { geometry["none"]![$0.key] == $0.value }.map(\.key)
        #expect(unchanged.isEmpty, "full renders the same geometry as none in \(unchanged.sorted())")
        let none = try #require(logs["none"]), light = try #require(logs["light"]), full = try #require(logs["full"])
        #expect(none.count == 24 && light.count == 24 && full.count == 24)
        func distinct(_ log: [[String: String]], _ name: String) -> Int { Set(log.map { $0[name] ?? "missing" }).count }

        for spec in ParameterSpace.all {
            let n = spec.name
            #expect(none.allSatisfy { $0[n] != nil } && light.allSatisfy { $0[n] != nil } && full.allSatisfy { $0[n] != nil })
            if spec.isContent {
                for i in 0..<24 {
                    #expect(none[i][n] == full[i][n], "\(n) differs between none and full on frame \(i)")
                    #expect(light[i][n] == full[i][n], "\(n) differs between light and full on frame \(i)")
                }
                #expect(distinct(full, n) > 1, "content parameter \(n) never changes")
                continue
            }
            #expect(distinct(none, n) == 1, "none randomizes domain parameter \(n)")
            if spec.group == "lighting" {
                #expect(distinct(light, n) > 1, "light does not randomize \(n)")
            } else {
                #expect(distinct(light, n) == 1, "light randomizes \(n)")
                #expect(light[0][n] == none[0][n], "light and none fix \(n) at different values")
            }
            if spec.full.isRandom {
                #expect(distinct(full, n) > 1, "full does not randomize \(n)")
            } else {
                #expect(full[0][n] == none[0][n])
            }
        }
    }

    /// The same on many episodes, from the Sampler: content values agree in all presets, for several seeds.
    @Test(arguments: [1, 99, 12345] as [UInt64])
    func samplerContentIsTheSameInEveryPreset(seed: UInt64) throws {
        let samplers = try GeneratorConfig.presetNames.map { Sampler(config: try GeneratorConfig.preset($0), seed: seed) }
        let content = ParameterSpace.all.filter(\.isContent).map(\.name)
        var mismatches = 0
        for k in 0..<300 {
            let frames = samplers.map { s in s.frame(episode: k, index: k % 8, episodeValues: s.episode(k)) }
            for n in content where frames[0][n] != frames[2][n] || frames[1][n] != frames[2][n] { mismatches += 1 }
        }
        #expect(mismatches == 0)
    }
}
