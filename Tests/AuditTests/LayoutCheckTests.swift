import Foundation
import Testing
import TestSupport
@testable import Audit
import Randomization
import Support

/// The `layouts` check: a dataset with far fewer distinct layouts (content parameters per episode) than
/// episodes fails; the presets pass.
@Suite(.tags(.slow)) struct LayoutCheckTests {
    /// A config with every content parameter fixed at its nominal value: every episode is the same drop seen
    /// from the same viewpoints.
    static func fixedContent(_ preset: String = "full") throws -> GeneratorConfig {
        var c = try GeneratorConfig.preset(preset)
        for spec in ParameterSpace.all where spec.isContent { c.distributions[spec.name] = .constant(spec.nominal) }
        return c
    }

    @Test func contentListMatchesTheGenerator() {
        #expect(Layouts.contentNames == ParameterSpace.contentNames)
    }

    @Test(arguments: GeneratorConfig.presetNames)
    func presetsPass(preset: String) throws {
        let dir = try AuditFixture.logOnly(try GeneratorConfig.preset(preset), frames: 400, seed: 5)
        defer { AuditFixture.remove(dir) }
        let r = try Auditor.audit(directory: dir)
        let c = try #require(r.check("layouts"))
        #expect(c.verdict == .pass, "\(c.message)")
        #expect(c.n == 50 && c.statistic == 50 && c.level == "episode")
        #expect(c.message.contains("50 distinct layouts"), "\(c.message)")
        #expect(Set(c.parameters) == ParameterSpace.contentNames)
        #expect(r.passed, "\(r.failures.map { "\($0.id): \($0.message)" })")
    }

    @Test func generatedDatasetPasses() throws {
        let r = try Auditor.audit(directory: AuditFixture.honest)
        let c = try #require(r.check("layouts"))
        #expect(c.verdict == .pass, "\(c.message)")
        #expect(c.n == 40 && c.statistic == 40)
    }

    /// All content constant (what `none` used to be): one layout in 50 episodes, whatever the domain does.
    @Test(arguments: ["none", "full"])
    func constantContentFails(preset: String) throws {
        let dir = try AuditFixture.logOnly(try Self.fixedContent(preset), frames: 400, seed: 5)
        defer { AuditFixture.remove(dir) }
        let r = try Auditor.audit(directory: dir)
        #expect(!r.passed)
        let c = try #require(r.check("layouts"))
        #expect(c.verdict == .fail)
        #expect(c.statistic == 1 && c.n == 50)
        #expect(c.message.contains("only 1 distinct layout in 50 episodes"), "\(c.message)")
        #expect(c.message.contains("= 25 expected"), "\(c.message)")
        #expect(c.message.contains("episode 0's layout recurs in 50 episodes"), "\(c.message)")
        #expect(c.message.contains("constant content parameters: ") && c.message.contains("object_position"), "\(c.message)")
        #expect(r.failures.map(\.id).contains("layouts"))
        #expect(r.markdown().contains("`layouts`"))
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(r.json().utf8)) as? [String: Any])
        #expect((obj["failures"] as? [String])?.contains("layouts") == true)
    }

    /// Declared random, but the log cycles through three scenes: the values are replaced by those of episode
    /// `episode % 3`, so three layouts serve 50 episodes.
    @Test func repeatedScenesFailEvenWhenDeclaredRandom() throws {
        let config = try GeneratorConfig.preset("full")
        let sampler = Sampler(config: config, seed: 5)
        let content = ParameterSpace.all.filter(\.isContent).map(\.name)
        let dir = try AuditFixture.logOnly(config, frames: 400, seed: 5) { s, v in
            let e = s.episode % 3
            let source = sampler.frame(episode: e, index: s.index, episodeValues: sampler.episode(e))
            for n in content { v[n] = source[n] }
        }
        defer { AuditFixture.remove(dir) }
        let r = try Auditor.audit(directory: dir)
        let c = try #require(r.check("layouts"))
        #expect(c.verdict == .fail)
        #expect(c.statistic == 3)
        #expect(c.message.contains("only 3 distinct layouts in 50 episodes"), "\(c.message)")
        #expect(c.message.contains("recurs in 17 episodes"), "\(c.message)")
        #expect(!c.message.contains("constant content parameters"), "\(c.message)")
    }

    /// The rule's edge: ⌈episodes/2⌉ distinct layouts pass, one fewer fails.
    @Test(arguments: [(25, .pass), (24, .fail)] as [(Int, AuditVerdict)])
    func threshold(layouts: Int, verdict: AuditVerdict) throws {
        #expect(Layouts.minimum(episodes: 50) == 25 && Layouts.minimum(episodes: 3) == 2 && Layouts.minimum(episodes: 2) == 2)
        let config = try GeneratorConfig.preset("full")
        let sampler = Sampler(config: config, seed: 5)
        let dir = try AuditFixture.logOnly(config, frames: 400, seed: 5) { s, v in
            let e = s.episode % layouts
            let source = sampler.frame(episode: e, index: s.index, episodeValues: sampler.episode(e))
            for spec in ParameterSpace.all where spec.isContent { v[spec.name] = source[spec.name] }
        }
        defer { AuditFixture.remove(dir) }
        let c = try #require(try Auditor.audit(directory: dir).check("layouts"))
        #expect(c.verdict == verdict, "\(c.message)")
        #expect(c.statistic == Double(layouts))
    }

    /// One frame's camera differs: the episode's layout is new (the camera viewpoint is content).
    @Test func oneFrameOfDifferentViewpointIsANewLayout() throws {
        let dir = try AuditFixture.logOnly(try Self.fixedContent(), frames: 400, seed: 5) { s, v in
            if s.frameId == 9 { v["camera_azimuth"] = .number(10) }
        }
        defer { AuditFixture.remove(dir) }
        let c = try #require(try Auditor.audit(directory: dir).check("layouts"))
        #expect(c.statistic == 2 && c.verdict == .fail)
    }

    @Test func oneEpisodeIsSkipped() throws {
        let dir = try AuditFixture.logOnly(try Self.fixedContent(), frames: 8, seed: 5)
        defer { AuditFixture.remove(dir) }
        let c = try #require(try Auditor.audit(directory: dir).check("layouts"))
        #expect(c.verdict == .skipped && c.message.contains("fewer than 2 episodes"))
    }
}
