import Foundation
import Testing
@testable import Audit
import Randomization
import Support

/// Value, shape and bookkeeping problems in the log, and bad input.
@Suite struct LogCheckTests {
    /// 400 honest frames of the full preset (50 episodes of 8), written once.
    static let base: String = try! AuditFixture.logOnly(frames: 400, seed: 5)

    static func damaged(_ tag: String, _ edit: (Int, String) -> String?) throws -> String {
        let dir = try AuditFixture.copy(base, tag: tag)
        try AuditFixture.editLines(dir + "/randomization.jsonl", edit)
        return dir
    }

    @Test func honestLogPasses() throws {
        let r = try Auditor.audit(directory: Self.base)
        #expect(r.passed, "\(r.failures.map { "\($0.id): \($0.message)" })")
        #expect(r.frames == 400 && r.episodes == 50)
        #expect(!r.images && r.imageFrames == 0)
        // Every randomized parameter has its values, varies and fit checks; episode-scope ones per episode.
        #expect(r.check("ks:light_intensity")?.n == 400)
        #expect(r.check("ks:gravity")?.n == 50)
        #expect(r.check("ks:object_color[2]")?.level == "frame")
        #expect(r.check("chi-square:num_obstacles")?.n == 50)
        #expect(r.check("chi-square:light_color")?.n == 400)
        #expect(r.check("ks:drop_rotation[1]")?.n == 200)   // 50 episodes × 4 objects, pooled
        #expect(r.check("ks:drop_rotation[1]")?.level == "item")
        #expect(r.check("components:object_color[0]~object_color[2]")?.verdict == .pass)
        #expect(r.check("components:obstacle_position[0]~obstacle_position[1]")?.level == "item")
        #expect(r.check("constant:camera_noise_std")?.verdict == .pass)
        #expect(r.check("independence:gravity~friction")?.level == "episode")
        #expect(r.check("independence:light_intensity~gravity")?.level == "frame")
        #expect(r.check("independence:light_intensity~light_color") != nil)
        #expect(r.check("independence:object_color[0]~object_color[1]") == nil)  // a `components` check instead
        #expect(r.check("pixel:light_intensity")?.verdict == .skipped)
        #expect(r.check("duplicates:frames")?.verdict == .pass && r.check("duplicates:episodes")?.n == 50)
        #expect(r.check("undeclared") == nil)
        let family = r.checks.filter(\.inFamily)
        #expect(family.count == r.familySize)
        #expect(family.allSatisfy { $0.holmPValue != nil && $0.holmPValue! >= $0.pValue! })
    }

    /// Keys and categories spelled with JSON escapes audit as the plain spelling; an undeclared escaped key is
    /// reported by its decoded name (a surrogate pair joined).
    @Test func escapedKeysAndCategoriesReadAsPlainOnes() throws {
        let dir = try Self.damaged("esc") { _, l in
            l.replacingOccurrences(of: "\"light_intensity\":", with: #""light\u005fintensity":"#)
                .replacingOccurrences(of: "\"warm\"", with: #""w\u0061rm""#)
                .replacingOccurrences(of: "\"params\":{", with: #""params":{"x\ud83d\ude00":1,"#)
        }
        defer { AuditFixture.remove(dir) }
        let edited = String(decoding: try FileIO.readAll(dir + "/randomization.jsonl"), as: UTF8.self)
        #expect(edited.contains(#"light\u005fintensity"#) && edited.contains(#"w\u0061rm"#))
        let plain = try Auditor.audit(directory: Self.base)
        let r = try Auditor.audit(directory: dir)
        for id in ["values:light_intensity", "ks:light_intensity", "values:light_color", "chi-square:light_color"] {
            let c = try #require(r.check(id), "no check \(id)"), p = try #require(plain.check(id))
            #expect(c.verdict == p.verdict && c.n == p.n && c.message == p.message, "\(id): \(c.message)")
        }
        #expect(r.check("undeclared")?.parameters == ["x\u{1F600}"])
        #expect(r.passed, "\(r.failures.map { "\($0.id): \($0.message)" })")
    }

    struct Damage: CustomStringConvertible, Sendable {
        var name: String
        var failing: String
        var mention: String
        var edit: @Sendable (Int, String) -> String?
        var whole: (@Sendable (inout [String]) -> Void)? = nil
        var description: String { name }

        init(name: String, failing: String, mention: String, edit: @escaping @Sendable (Int, String) -> String?,
             whole: (@Sendable (inout [String]) -> Void)? = nil) {
            self.name = name; self.failing = failing; self.mention = mention; self.edit = edit; self.whole = whole
        }
    }

    static let damages: [Damage] = [
        Damage(name: "out of range", failing: "values:light_intensity", mention: "line 10: 2.5 is outside the declared uniform 0.5–2") { i, l in
            i == 9 ? AuditFixture.setParam(l, "light_intensity", "2.5") : l
        },
        Damage(name: "null", failing: "values:sun_azimuth", mention: "line 3: null or non-finite value") { i, l in
            i == 2 ? AuditFixture.setParam(l, "sun_azimuth", "null") : l
        },
        Damage(name: "NaN literal", failing: "values:roughness", mention: "null or non-finite values in 1 frames") { i, l in
            i == 4 ? AuditFixture.setParam(l, "roughness", "NaN") : l
        },
        Damage(name: "duplicated frame", failing: "duplicates:frames", mention: "1 frames repeat the values of an earlier one (e.g. frames 18 and 19)") { _, l in l } whole: { lines in
            // Frames 18 and 19 are in the same episode; give 19 the parameters of 18.
            let params18 = lines[18][lines[18].range(of: "\"params\":")!.lowerBound...]
            let head19 = lines[19][..<lines[19].range(of: "\"params\":")!.lowerBound]
            lines[19] = String(head19 + params18)
        },
        Damage(name: "episodes seeded alike", failing: "duplicates:episodes", mention: "episodes 0 and 1") { _, l in l } whole: { lines in
            // Episode 1 (frames 8–15) repeats episode 0's episode-scope values; its frame-scope values differ.
            let names = ParameterSpace.all.filter { $0.scope == .episode }.map(\.name)
            for i in 8..<16 {
                for n in names { lines[i] = AuditFixture.setParam(lines[i], n, AuditFixture.getParam(lines[0], n)) }
            }
        },
        Damage(name: "missing frame", failing: "frames", mention: "1 frames of frame_range [0, 400) missing") { i, l in
            i == 99 ? nil : l
        },
        Damage(name: "extra frame", failing: "frames", mention: "frame_id 400 outside frame_range") { i, l in
            i == 399 ? l + "\n" + l.replacingOccurrences(of: "\"frame_id\":399,", with: "\"frame_id\":400,") : l
        },
        Damage(name: "repeated frame id", failing: "frames", mention: "frame_id 49 repeated") { i, l in
            i == 50 ? l.replacingOccurrences(of: "\"frame_id\":50,", with: "\"frame_id\":49,") : l
        },
        Damage(name: "episode value changes", failing: "values:gravity", mention: "changes within episode 1") { i, l in
            i == 9 ? AuditFixture.setParam(l, "gravity", "9.5") : l
        },
        Damage(name: "vector too short", failing: "values:object_color", mention: "expected 3 components") { i, l in
            i == 0 ? AuditFixture.setParam(l, "object_color", "[0.5,0.5]") : l
        },
        Damage(name: "obstacle count", failing: "values:obstacle_size", mention: "items (num_obstacles)") { i, l in
            i == 8 ? AuditFixture.setParam(l, "obstacle_size", "[0.2,0.2,0.2,0.2,0.2,0.2,0.2]") : l
        },
        Damage(name: "undeclared category", failing: "values:light_color", mention: "an undeclared category") { i, l in
            i == 0 ? AuditFixture.setParam(l, "light_color", "\"purple\"") : l
        },
        Damage(name: "wrong type", failing: "values:metallic", mention: "expected numbers") { i, l in
            i == 1 ? AuditFixture.setParam(l, "metallic", "\"0.5\"") : l
        },
        Damage(name: "missing parameter", failing: "values:aperture", mention: "missing in 1 frames") { i, l in
            i == 1 ? l.replacingOccurrences(of: "\"aperture\":\(AuditFixture.getParam(l, "aperture")),", with: "") : l
        },
        Damage(name: "constant differs", failing: "constant:camera_noise_std", mention: "differ") { i, l in
            i == 7 ? AuditFixture.setParam(l, "camera_noise_std", "0.02") : l
        },
        Damage(name: "wrong episode number", failing: "episodes", mention: "frame 3 has episode 7") { i, l in
            i == 3 ? l.replacingOccurrences(of: "\"episode\":0,", with: "\"episode\":7,") : l
        },
    ]

    @Test(arguments: damages)
    func damageFailsTheNamedCheck(_ d: Damage) throws {
        let dir: String
        if let whole = d.whole {
            dir = try AuditFixture.copy(Self.base, tag: "dmg")
            let path = dir + "/randomization.jsonl"
            var lines = String(decoding: try FileIO.readAll(path), as: UTF8.self).split(separator: "\n").map(String.init)
            whole(&lines)
            try FileIO.writeAtomically(lines.joined(separator: "\n") + "\n", to: path)
        } else {
            dir = try Self.damaged("dmg", d.edit)
        }
        defer { AuditFixture.remove(dir) }
        let r = try Auditor.audit(directory: dir)
        #expect(!r.passed)
        let c = try #require(r.check(d.failing), "no check \(d.failing)")
        #expect(c.verdict == .fail, "\(d.name): \(c.message)")
        #expect(c.message.contains(d.mention), "\(d.name): \(c.message)")
        #expect(r.markdown().contains("`\(d.failing)`"))
    }

    // MARK: - bad input

    struct Bad: CustomStringConvertible, Sendable {
        var name: String
        var file: String
        var line: Int
        var mention: String
        var edit: @Sendable (String) throws -> Void
        var description: String { name }
    }

    static let bads: [Bad] = [
        Bad(name: "truncated line", file: "randomization.jsonl", line: 7, mention: "expected") { dir in
            try AuditFixture.editLines(dir + "/randomization.jsonl") { i, l in i == 6 ? String(l.prefix(200)) : l }
        },
        Bad(name: "not an object", file: "randomization.jsonl", line: 2, mention: "expected '{'") { dir in
            try AuditFixture.editLines(dir + "/randomization.jsonl") { i, l in i == 1 ? "[1,2,3]" : l }
        },
        Bad(name: "blank line", file: "randomization.jsonl", line: 5, mention: "empty line") { dir in
            try AuditFixture.editLines(dir + "/randomization.jsonl") { i, l in i == 4 ? "" : l }
        },
        Bad(name: "no params", file: "randomization.jsonl", line: 3, mention: "missing 'params'") { dir in
            try AuditFixture.editLines(dir + "/randomization.jsonl") { i, l in i == 2 ? "{\"frame_id\":2,\"episode\":0,\"step\":45}" : l }
        },
        Bad(name: "no frame id", file: "randomization.jsonl", line: 1, mention: "missing 'frame_id'") { dir in
            try AuditFixture.editLines(dir + "/randomization.jsonl") { i, l in i == 0 ? l.replacingOccurrences(of: "\"frame_id\":0,", with: "") : l }
        },
        Bad(name: "trailing garbage", file: "randomization.jsonl", line: 4, mention: "after the object") { dir in
            try AuditFixture.editLines(dir + "/randomization.jsonl") { i, l in i == 3 ? l + " x" : l }
        },
        Bad(name: "bad number", file: "randomization.jsonl", line: 9, mention: "invalid number") { dir in
            try AuditFixture.editLines(dir + "/randomization.jsonl") { i, l in i == 8 ? AuditFixture.setParam(l, "aperture", "1.e5") : l }
        },
        Bad(name: "log missing", file: "randomization.jsonl", line: 0, mention: "missing") { dir in
            try FileIO.remove(dir + "/randomization.jsonl")
        },
        Bad(name: "manifest missing", file: "manifest.json", line: 0, mention: "missing") { dir in
            try FileIO.remove(dir + "/manifest.json")
        },
        Bad(name: "manifest not JSON", file: "manifest.json", line: 2, mention: "not valid JSON") { dir in
            try FileIO.writeAtomically("{\n\"tool\": synthbench}\n", to: dir + "/manifest.json")
        },
        Bad(name: "manifest without parameters", file: "manifest.json", line: 0, mention: "config.parameters") { dir in
            let text = String(decoding: try FileIO.readAll(dir + "/manifest.json"), as: UTF8.self)
            try FileIO.writeAtomically(text.replacingOccurrences(of: "\"parameters\":", with: "\"params\":"), to: dir + "/manifest.json")
        },
        Bad(name: "unknown distribution", file: "manifest.json", line: 0, mention: "unknown distribution 'beta'") { dir in
            let text = String(decoding: try FileIO.readAll(dir + "/manifest.json"), as: UTF8.self)
            try FileIO.writeAtomically(text.replacingOccurrences(of: "\"kind\":\"uniform\"", with: "\"kind\":\"beta\""), to: dir + "/manifest.json")
        },
    ]

    @Test(arguments: bads)
    func badInputNamesFileAndLine(_ b: Bad) throws {
        let dir = try AuditFixture.copy(Self.base, tag: "bad")
        defer { AuditFixture.remove(dir) }
        try b.edit(dir)
        do {
            _ = try Auditor.audit(directory: dir)
            Issue.record("\(b.name): no error")
        } catch let e as InputError {
            #expect(e.file.hasSuffix("/" + b.file), "\(b.name): \(e)")
            #expect(e.line == b.line, "\(b.name): \(e)")
            #expect(e.description.contains(b.mention), "\(b.name): \(e)")
            if b.line > 0 { #expect(e.description.contains("\(b.file):\(b.line):"), "\(e)") }
        }
    }

    @Test func notADirectoryAndBadAlpha() throws {
        #expect(throws: InputError.self) { try Auditor.audit(directory: "/nonexistent-synthbench-dir") }
        #expect(throws: InputError.self) { try Auditor.audit(directory: Self.base, alpha: 0) }
        #expect(throws: InputError.self) { try Auditor.audit(directory: Self.base, alpha: 1.5) }
    }

    // MARK: - other configurations

    /// A sharded directory: frame_range starts past 0, episodes are whole; a normal distribution and an
    /// integer range that is not 0–5 are tested against their declarations.
    @Test func shardAndOtherDistributions() throws {
        var c = try GeneratorConfig.preset("full")
        c.distributions["light_intensity"] = .normal(mean: 1, std: 0.5)     // truncated to the domain 0–20
        c.distributions["num_obstacles"] = .integer(min: 1, max: 3)
        c.distributions["light_color"] = .choice(values: ["warm", "cool"], weights: [3, 1])
        let dir = try AuditFixture.logOnly(c, frames: 1200, seed: 9)
        defer { AuditFixture.remove(dir) }
        // Keep the second half as shard 2/2: frames 600..<1200.
        try AuditFixture.editLines(dir + "/randomization.jsonl") { i, l in i < 600 ? nil : l }
        let manifest = String(decoding: try FileIO.readAll(dir + "/manifest.json"), as: UTF8.self)
        try FileIO.writeAtomically(manifest.replacingOccurrences(of: "\"frame_range\":[0,1200]", with: "\"frame_range\":[600,1200]"),
                                   to: dir + "/manifest.json")
        let r = try Auditor.audit(directory: dir)
        #expect(r.passed, "\(r.failures.map { "\($0.id): \($0.message)" })")
        #expect(r.frames == 600 && r.episodes == 75)
        #expect(r.check("ks:light_intensity")?.message.contains("normal") == true)
        #expect(r.check("chi-square:num_obstacles")?.verdict == .pass)

        // The same log declared as a plain normal with another mean fails the fit.
        let wrong = manifest.replacingOccurrences(of: "\"frame_range\":[0,1200]", with: "\"frame_range\":[600,1200]")
            .replacingOccurrences(of: "{\"kind\":\"normal\",\"mean\":1,", with: "{\"kind\":\"normal\",\"mean\":1.2,")
        #expect(wrong != manifest)
        try FileIO.writeAtomically(wrong, to: dir + "/manifest.json")
        let r2 = try Auditor.audit(directory: dir)
        #expect(r2.check("ks:light_intensity")?.verdict == .fail)
    }

    @Test func jsonReportIsOneObject() throws {
        let r = try Auditor.audit(directory: Self.base)
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(r.json().utf8)) as? [String: Any])
        #expect(obj["passed"] as? Bool == true)
        #expect(obj["alpha"] as? Double == 0.01)
        #expect(obj["frames"] as? Int == 400)
        #expect(obj["familySize"] as? Int == r.familySize)
        #expect((obj["frameRange"] as? [Int]) == [0, 400])
        let checks = try #require(obj["checks"] as? [[String: Any]])
        #expect(checks.count == r.checks.count)
        let ks = try #require(checks.first { $0["id"] as? String == "ks:light_intensity" })
        #expect(ks["kind"] as? String == "ks")
        #expect(ks["parameters"] as? [String] == ["light_intensity"])
        #expect(ks["inFamily"] as? Bool == true)
        #expect(ks["pValue"] is Double && ks["holmPValue"] is Double && ks["statistic"] is Double && ks["effectSize"] is Double)
        #expect(ks["verdict"] as? String == "pass")
        let counts = try #require(obj["counts"] as? [String: Int])
        #expect(counts["fail"] == 0 && counts["pass"]! + counts["skipped"]! == checks.count)
    }
}
