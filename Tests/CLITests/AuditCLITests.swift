import Foundation
import Testing
import TestSupport

/// `synthbench audit` end to end: the built binary on a generated dataset, its exit codes and output.
@Suite(.tags(.slow, .endToEnd)) struct AuditCLITests {
    /// 160 frames of the full preset at 96×72, 4 frames per episode; generated once, copied before damage.
    static let dataset: String = {
        let dir = CLI.tempDir("audit")
        try! FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        CLI.write("preset: full\nimage: {width: 96, height: 72}\nepisode: {frames: 4}\n", to: dir + "/small.yaml")
        let r = try! CLI.run(["generate", "--config", dir + "/small.yaml", "--frames", "160", "--seed", "21",
                              "--out", dir + "/ds", "--quiet"])
        precondition(r.code == 0, r.stderr)
        return dir + "/ds"
    }()

    static func copy(_ tag: String) throws -> String {
        let out = CLI.tempDir("audit-" + tag)
        try FileManager.default.copyItem(atPath: dataset, toPath: out)
        return out
    }

    /// Rewrites line `index` (0-based) of a file.
    static func edit(_ path: String, line index: Int, _ change: (String) -> String) throws {
        var lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines[index] = change(lines[index])
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
    }

    @Test func honestDatasetExitsZero() throws {
        let r = try CLI.run(["audit", Self.dataset])
        #expect(r.code == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.hasPrefix("# Audit of "))
        #expect(r.stdout.contains("**PASS**: 0 failed"))
        #expect(r.stdout.contains("| check | parameter | level | n | statistic | p | Holm p | effect | verdict | note |"))
        #expect(r.stdout.contains("| ks | light_intensity | frame | 160 |"))
        #expect(r.stdout.contains("| pixel | light_intensity | frame | 160 |"))
        #expect(r.stdout.contains("| pixel | camera_noise_std | frame | 160 |") && r.stdout.contains("skipped, camera_noise_std is constant"))
        #expect(r.stderr.isEmpty)
    }

    @Test func jsonOutputIsOneObject() throws {
        let r = try CLI.run(["audit", "--json", "--alpha", "0.05", Self.dataset])
        #expect(r.code == 0, "\(r.stderr)")
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(obj["passed"] as? Bool == true)
        #expect(obj["alpha"] as? Double == 0.05)
        #expect(obj["frames"] as? Int == 160 && obj["episodes"] as? Int == 40)
        #expect(obj["images"] as? Bool == true && obj["imageFrames"] as? Int == 160)
        let checks = try #require(obj["checks"] as? [[String: Any]])
        #expect(checks.contains { $0["id"] as? String == "image-size" && $0["verdict"] as? String == "pass" })
        #expect((obj["familySize"] as? Int ?? 0) > 500)
    }

    /// Edits manifest.json as an object.
    static func editManifest(_ dir: String, _ change: (inout [String: Any]) -> Void) throws {
        let path = dir + "/manifest.json"
        var o = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as! [String: Any]
        change(&o)
        try JSONSerialization.data(withJSONObject: o).write(to: URL(fileURLWithPath: path))
    }

    /// Integers whose arithmetic would overflow are refused with exit 2 naming the field, never a crash or a pass.
    @Test(arguments: [
        ("frame_range", [0, Int.max] as [Int]), ("frame_range", [Int.max - 1, Int.max]), ("frame_range", [0, 200_000_000]),
        ("num_obstacles", [Int.min, Int.max]), ("num_obstacles", [-1, Int.max]), ("num_obstacles", [Int.min, 0]),
    ])
    func overflowingIntegersAreRefused(field: String, values: [Int]) throws {
        let dir = try Self.copy("overflow")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Self.editManifest(dir) { o in
            if field == "frame_range" {
                o["frame_range"] = values
            } else {
                var config = o["config"] as! [String: Any]
                var params = config["parameters"] as! [String: Any]
                var p = params[field] as! [String: Any]
                var d = p["distribution"] as! [String: Any]
                d["min"] = values[0]; d["max"] = values[1]
                p["distribution"] = d; params[field] = p; config["parameters"] = params; o["config"] = config
            }
        }
        let r = try CLI.run(["audit", dir])
        #expect(r.code == 2, "\(r.stdout)\(r.stderr)")
        #expect(r.stderr.contains(dir + "/manifest.json") && r.stderr.contains(field), "\(r.stderr)")
    }

    @Test func failedCheckExitsOneAndNamesTheParameter() throws {
        let dir = try Self.copy("range")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Self.edit(dir + "/randomization.jsonl", line: 11) {
            $0.replacingOccurrences(of: "\"light_intensity\":", with: "\"light_intensity\":7,\"_was\":")
        }
        let r = try CLI.run(["audit", dir])
        #expect(r.code == 1, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("**FAIL**"))
        #expect(r.stdout.contains("- `values:light_intensity` (light_intensity): out-of-range values in 1 frames"), "\(r.stdout)")
        #expect(r.stdout.contains("line 12: 7 is outside the declared uniform 0.5–2"))
        #expect(r.stdout.contains("| undeclared | _was |"), "\(r.stdout)")
        let json = try CLI.run(["audit", "--json", dir])
        #expect(json.code == 1)
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect((obj["failures"] as? [String] ?? []).contains("values:light_intensity"))
    }

    @Test func depthWithoutUnitExitsOne() throws {
        let dir = try Self.copy("unit")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/manifest.json"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        try text.replacingOccurrences(of: "\"unit\":\"mm\",\"kind\":\"z-depth\"", with: "\"kind\":\"z-depth\"")
            .write(toFile: path, atomically: true, encoding: .utf8)
        let r = try CLI.run(["audit", dir])
        #expect(r.code == 1)
        #expect(r.stdout.contains("`depth-unit`: depth images are stored but manifest.json declares no depth unit"), "\(r.stdout)")
    }

    @Test func malformedLogLineExitsTwoWithFileAndLine() throws {
        let dir = try Self.copy("malformed")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Self.edit(dir + "/randomization.jsonl", line: 4) { String($0.dropLast(3)) }
        let r = try CLI.run(["audit", dir])
        #expect(r.code == 2)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.contains("synthbench: "))
        #expect(r.stderr.contains("randomization.jsonl:5:"), "\(r.stderr)")
    }

    @Test func missingFilesExitTwo() throws {
        let dir = try Self.copy("missing")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.removeItem(atPath: dir + "/manifest.json")
        let r = try CLI.run(["audit", dir])
        #expect(r.code == 2)
        #expect(r.stderr.contains("manifest.json: missing"), "\(r.stderr)")
        let none = try CLI.run(["audit", dir + "/nonexistent"])
        #expect(none.code == 2)
        #expect(none.stderr.contains("nonexistent: not a directory"))
    }

    @Test func usageErrorsExitTwo() throws {
        #expect(try CLI.run(["audit"]).code == 2)
        let alpha = try CLI.run(["audit", "--alpha", "0", Self.dataset])
        #expect(alpha.code == 2)
        #expect(alpha.stderr.contains("--alpha"))
        #expect(try CLI.run(["audit", "--alpha", "1.5", Self.dataset]).code == 2)
        #expect(try CLI.run(["audit", "--image-frames", "-1", Self.dataset]).code == 2)
        #expect(try CLI.run(["audit", "--bogus", Self.dataset]).code == 2)
    }
}
