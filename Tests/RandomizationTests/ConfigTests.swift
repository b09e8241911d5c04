import Testing
@testable import Randomization
import Support

/// Bad configs are refused with the file, YAML line/column and field; good ones resolve completely.
@Suite struct ConfigTests {
    static func error(_ yaml: String) -> InputError? {
        do { _ = try GeneratorConfig.parse(yaml: yaml, file: "c.yaml"); return nil }
        catch let e as InputError { return e }
        catch { return nil }
    }

    @Test(arguments: [
        ("colour: 3\n", 1, 1, "colour", "unknown key"),
        ("randomization:\n  gravity: {uniform: [10, 8]}\n", 2, 22, "randomization.gravity.uniform", "inverted range"),
        ("randomization:\n  gravity: {uniform: [9, 9]}\n", 2, 22, "randomization.gravity.uniform", "empty range"),
        ("randomization:\n  gravty: {uniform: [8, 9]}\n", 2, 3, "randomization.gravty", "unknown parameter"),
        ("image:\n  width: abc\n", 2, 10, "image.width", "expected an integer"),
        ("image:\n  width: -640\n", 2, 10, "image.width", "outside"),
        ("episode:\n  frames: -3\n", 2, 11, "episode.frames", "outside"),
        ("randomization:\n  num_obstacles: {integer: [0, -1]}\n", 2, 32, "randomization.num_obstacles.integer[1]", "outside"),
        ("randomization:\n  num_obstacles: {uniform: [0, 5]}\n", 2, 19, "randomization.num_obstacles", "not allowed"),
        ("randomization:\n  light_color: {choice: [warm, purple]}\n", 2, 32, "randomization.light_color.choice", "expected one of"),
        ("randomization:\n  light_color: {choice: [warm, cool], weights: [1]}\n", 2, 48, "randomization.light_color.weights", "expected 2 weights"),
        ("randomization:\n  roughness: {uniform: [0.1, 1.5]}\n", 2, 30, "randomization.roughness.uniform[1]", "outside the valid range"),
        ("randomization:\n  roughness: {uniform: [0.1, 0.5], normal: [1, 2]}\n", 2, 36, "randomization.roughness.normal", "unexpected key"),
        ("randomization:\n  roughness: 0.5\n", 2, 14, "randomization.roughness", "expected a mapping"),
        ("preset: heavy\n", 1, 9, "preset", "expected one of"),
        ("objects: [box, teapot]\n", 1, 16, "objects", "expected one of"),
        ("image: [1, 2\n", 2, 1, "", "not valid YAML"),
    ] as [(String, Int, Int, String, String)])
    func badConfigNamesLineColumnAndField(yaml: String, line: Int, column: Int, field: String, message: String) throws {
        let e = try #require(Self.error(yaml))
        #expect(e.file == "c.yaml")
        #expect(e.line == line)
        #expect(e.column == column)
        #expect(e.field == field)
        #expect(e.message.contains(message), "\(e)")
    }

    @Test func overridesApplyOnTopOfThePreset() throws {
        let c = try GeneratorConfig.parse(yaml: """
            preset: light
            image: {width: 320, height: 240}
            episode: {frames: 5, render_every: 12, dt: 0.005}
            objects: [sphere, sphere, box]
            randomization:
              gravity: {normal: [9.81, 0.2]}
              light_color: {choice: [warm, cool], weights: [3, 1]}
              num_obstacles: {constant: 2}
            """, file: "c.yaml")
        #expect(c.preset == "light" && c.width == 320 && c.height == 240)
        #expect(c.framesPerEpisode == 5 && c.renderEvery == 12 && c.physicsDt == 0.005)
        #expect(c.objects == ["sphere", "sphere", "box"])
        #expect(c.distributions["gravity"] == .normal(mean: 9.81, std: 0.2))
        #expect(c.distributions["light_color"] == .choice(values: ["warm", "cool"], weights: [3, 1]))
        #expect(c.distributions["num_obstacles"] == .constant(.number(2)))
        #expect(c.distributions["roughness"] == .constant(.number(0.5)))
        #expect(c.hash != (try GeneratorConfig.preset("light")).hash)
    }

    @Test(arguments: GeneratorConfig.presetNames)
    func presetsCoverEveryParameter(name: String) throws {
        let c = try GeneratorConfig.preset(name)
        #expect(Set(c.distributions.keys) == Set(ParameterSpace.all.map(\.name)))
    }

    @Test func fullPresetUsesTheSeedRanges() throws {
        let c = try GeneratorConfig.preset("full")
        #expect(c.distributions["light_intensity"] == .uniform(min: 0.5, max: 2.0))
        #expect(c.distributions["gravity"] == .uniform(min: 8, max: 10))
        #expect(c.distributions["friction"] == .uniform(min: 0.3, max: 1.5))
        #expect(c.distributions["restitution"] == .uniform(min: 0, max: 0.3))
        #expect(c.distributions["object_scale"] == .uniform(min: 0.5, max: 2.0))
        #expect(c.distributions["num_obstacles"] == .integer(min: 0, max: 5))
        #expect(c.distributions["focal_length"] == .uniform(min: 15, max: 35))
        #expect(c.distributions["aperture"] == .uniform(min: 1.4, max: 8))
        #expect(c.distributions["camera_noise_std"] == .constant(.number(0.01)))
        #expect(c.distributions["sun_elevation"] == .uniform(min: 10, max: 80))
    }
}

/// Sampling is a pure function of (seed, episode, frame), and draws follow the declared distributions.
@Suite struct SamplerTests {
    static let sampler = Sampler(config: try! GeneratorConfig.preset("full"), seed: 42)

    @Test func samplesArePureFunctionsOfSeedEpisodeFrame() {
        let s = Self.sampler
        let a = s.frame(episode: 7, index: 3, episodeValues: s.episode(7))
        _ = s.frame(episode: 2, index: 0, episodeValues: s.episode(2))
        let b = Sampler(config: s.config, seed: 42).frame(episode: 7, index: 3, episodeValues: s.episode(7))
        #expect(a.jsonLine == b.jsonLine)
        let c = Sampler(config: s.config, seed: 43).frame(episode: 7, index: 3, episodeValues: s.episode(7))
        #expect(a["light_intensity"] != c["light_intensity"])
    }

    @Test func episodeValuesAreSharedByItsFramesAndFrameValuesAreNot() {
        let s = Self.sampler
        let e = s.episode(3)
        let f0 = s.frame(episode: 3, index: 0, episodeValues: e), f1 = s.frame(episode: 3, index: 1, episodeValues: e)
        #expect(f0["gravity"] == f1["gravity"] && f0["object_position"] == f1["object_position"])
        #expect(f0["light_intensity"] != f1["light_intensity"])
        #expect(f0.frameId == 3 * s.config.framesPerEpisode && f1.step == 2 * s.config.renderEvery)
    }

    @Test func changingOneDistributionLeavesTheOthersUntouched() {
        var config = Self.sampler.config
        config.distributions["gravity"] = .uniform(min: 1, max: 2)
        let other = Sampler(config: config, seed: 42)
        let a = Self.sampler.frame(episode: 5, index: 1, episodeValues: Self.sampler.episode(5))
        let b = other.frame(episode: 5, index: 1, episodeValues: other.episode(5))
        for spec in ParameterSpace.all where spec.name != "gravity" { #expect(a[spec.name] == b[spec.name], "\(spec.name)") }
        #expect(a["gravity"] != b["gravity"])
    }

    @Test func drawsStayInRangeAndCoverIt() {
        let s = Self.sampler
        var intensities: [Double] = [], obstacles = [Int](repeating: 0, count: 6), colors: [String: Int] = [:]
        for k in 0..<3000 {
            let e = s.episode(k)
            let f = s.frame(episode: k, index: 0, episodeValues: e)
            intensities.append(f.number("light_intensity"))
            obstacles[Int(f.number("num_obstacles"))] += 1
            colors[f["light_color"].text, default: 0] += 1
            #expect(f["obstacle_size"].list.count == Int(f.number("num_obstacles")))
            #expect(f["drop_offset"].list.count == s.config.objects.count)
        }
        #expect(intensities.allSatisfy { $0 >= 0.5 && $0 < 2.0 })
        #expect(intensities.min()! < 0.51 && intensities.max()! > 1.99)
        #expect(obstacles.allSatisfy { $0 > 400 && $0 < 600 })
        #expect(colors.count == 3 && colors.values.allSatisfy { $0 > 900 && $0 < 1100 })
    }

    @Test func normalIsTruncatedToTheDomain() {
        var config = Self.sampler.config
        config.distributions["restitution"] = .normal(mean: 0.05, std: 0.2)
        let s = Sampler(config: config, seed: 1)
        let xs = (0..<2000).map { s.episode($0)["restitution"]!.double }
        #expect(xs.allSatisfy { $0 >= 0 && $0 <= 1 })
    }
}
