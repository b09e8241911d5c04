import Foundation
import Testing
import TestSupport

/// `synthbench bench`, `gate` and `compare` end to end on a tiny config: exit codes, files left behind, messages.
@Suite(.serialized, .tags(.slow, .endToEnd)) struct BenchCLITests {
    /// 96×72 frames, 4 frames per episode.
    static func config(_ image: String = "image: {width: 96, height: 72}") -> String {
        let path = CLI.tempDir("bench-cfg") + ".yaml"
        CLI.write("\(image)\nepisode: {frames: 4, render_every: 10}\n", to: path)
        return path
    }

    static let tiny = ["--frames", "8", "--envs", "1,2", "--lanes", "1,2", "--repeat", "6", "--memory-envs", "1,2",
                       "--memory-repeat", "2", "--ceiling-frames", "4", "--quiet"]

    /// One real bench, shared by the gate and compare tests.
    static let shared: (path: String, result: CLI.Result)? = {
        let dir = CLI.tempDir("bench")
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let path = dir + "/tiny.json"
        guard let r = try? CLI.run(["bench", "--config", config(), "--target", "tiny", "--out", path] + tiny) else { return nil }
        return (path, r)
    }()

    static func json(_ path: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as! [String: Any]
    }

    static func write(_ object: Any, _ tag: String) throws -> String {
        let path = CLI.tempDir(tag) + ".json"
        try JSONSerialization.data(withJSONObject: object).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func benchWritesACompleteResult() throws {
        let (path, r) = try #require(Self.shared)
        #expect(r.code == 0, "\(r.stderr)")
        for s in ["frames/h", "ratio", "stages (envs 2, lanes 2)", "lane scaling", "memory (peak RSS", "encode ceiling", "objectives:",
                  "results: \(path)"] {
            #expect(r.stdout.contains(s), "missing \(s) in \(r.stdout)")
        }
        let o = try Self.json(path)
        #expect(o["format"] as? String == "synthbench-bench" && o["schema"] as? Int == 1 && o["target"] as? String == "tiny")
        let machine = o["machine"] as! [String: Any]
        #expect((machine["cpu_model"] as? String)?.isEmpty == false && (machine["cores"] as? Int ?? 0) >= 1)
        #expect((machine["memory_bytes"] as? Int ?? 0) > 0)
        let cells = o["cells"] as! [[String: Any]]
        #expect(cells.count == 4)
        for c in cells {
            let fph = c["frames_per_hour"] as! [String: Any]
            #expect((fph["samples"] as! [Double]).count == 6)
            #expect((fph["ci_low"] as! Double) <= (fph["median"] as! Double) && (fph["median"] as! Double) <= (fph["ci_high"] as! Double))
            #expect((c["ratio"] as! [String: Any])["median"] as! Double > 0)
            #expect(Set((c["stage_ms_per_frame"] as! [String: Double]).keys) == ["sampling", "physics", "render", "post", "encode", "hash", "write", "coco"])
        }
        let memory = o["memory"] as! [String: Any]
        #expect(memory["envs"] as? [Int] == [1, 2] && memory["bytes_per_env"] is Double && memory["fixed_bytes"] is Double)
        #expect((memory["peak_rss_bytes"] as! [[String: Any]]).allSatisfy { ($0["samples"] as! [Double]).count == 2 })
        let lanes = o["lane_scaling"] as! [String: Any]
        #expect(lanes["lanes"] as? [Int] == [1, 2] && (lanes["speedup"] as! [Double]).count == 2)
        let ceiling = o["encode_ceiling"] as! [String: Any]
        #expect((ceiling["frames_per_second"] as! Double) > 0 && (ceiling["ratio"] as! Double) > 0)
        let run = o["run"] as! [String: Any]
        #expect(run["config_hash"] as? String != nil && run["seed"] as? Int == 0 && run["frames"] as? Int == 8)
        let objectives = (o["extrapolations"] as! [String: Any])["objectives"] as! [[String: Any]]
        #expect(objectives.map { $0["name"] as! String } == ["exercise1_disk_100k", "exercise1_time_100k", "lab2_50k_frames_64_envs", "frames_per_hour_100k"])
        // Nothing else is left beside the result.
        #expect(try FileManager.default.contentsOfDirectory(atPath: (path as NSString).deletingLastPathComponent) == ["tiny.json"])
    }

    @Test(arguments: [
        (["--envs", "0"], "--envs"),
        (["--envs", "1,x"], "--envs"),
        (["--lanes", "2,2"], "--lanes"),
        (["--repeat", "0"], "--repeat"),
        (["--memory-envs", "4"], "--memory-envs"),
        (["--preset", "full", "--config", "x.yaml"], "--preset and --config"),
        (["--preset", "fast"], "unknown preset"),
    ])
    func badFlagsExitTwo(args: [String], message: String) throws {
        let out = CLI.tempDir("badflag") + ".json"
        let r = try CLI.run(["bench", "--out", out, "--quiet"] + args)
        #expect(r.code == 2, "\(args): \(r.stderr)")
        #expect(r.stderr.contains(message), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test func unwritableOutputIsRefusedBeforeRunning() throws {
        let r = try CLI.run(["bench", "--preset", "none", "--out", "/nonexistent-dir/x.json"])
        #expect(r.code == 2 && r.stderr.contains("/nonexistent-dir") && r.stdout.isEmpty)
    }

    @Test func badConfigNamesTheFile() throws {
        let cfg = CLI.tempDir("badcfg") + ".yaml"
        CLI.write("image: {width: 96, height: 72}\ncolour: red\n", to: cfg)
        let r = try CLI.run(["bench", "--config", cfg, "--out", CLI.tempDir("o") + ".json"])
        #expect(r.code == 2 && r.stderr.contains(cfg) && r.stderr.contains("colour"))
    }

    /// A full disk (a file-size limit, SIGXFSZ ignored → EFBIG) during generation: exit 2, no result, no scratch left.
    @Test func fullDiskWritesNoResult() throws {
        let dir = CLI.tempDir("bench-full")
        try FileManager.default.createDirectory(atPath: dir + "/scratch", withIntermediateDirectories: true)
        let out = dir + "/r.json"
        let r = try CLI.run(["bench", "--config", Self.config("image: {width: 320, height: 240}"), "--frames", "4", "--envs", "1",
                             "--lanes", "1", "--repeat", "1", "--memory-envs", "none", "--scratch", dir + "/scratch", "--out", out,
                             "--quiet"], shell: "trap '' XFSZ; ulimit -f 40; exec \"$@\"")
        #expect(r.code == 2, "\(r.stdout)\(r.stderr)")
        #expect(r.stderr.contains("File too large"), "\(r.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["scratch"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir + "/scratch").isEmpty)
    }

    /// A memory-probe child that fails (its writes hit the limit): reported with its message, no result.
    /// (A child killed by a signal is covered by MemoryProbeTests.)
    @Test func failingChildWritesNoResult() throws {
        let dir = CLI.tempDir("bench-child")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let out = dir + "/r.json"
        let r = try CLI.run(["bench", "--config", Self.config("image: {width: 320, height: 240}"), "--frames", "4", "--envs", "1,2",
                             "--lanes", "1", "--repeat", "1", "--out", out, "--quiet"], shell: "trap '' XFSZ; ulimit -f 40; exec \"$@\"")
        #expect(r.code == 2, "\(r.stdout)\(r.stderr)")
        #expect(r.stderr.contains("memory probe (generate --envs 1) exited with status 2") && r.stderr.contains("File too large"),
                "\(r.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty)
    }

    // MARK: gate

    @Test func gateAgainstItselfPasses() throws {
        let (path, _) = try #require(Self.shared)
        let r = try CLI.run(["gate", "--baseline", path, "--candidate", path])
        #expect(r.code == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("0 regressed") && r.stdout.contains("ratio[envs=2,lanes=2]"))
        let j = try CLI.run(["gate", "--baseline", path, "--candidate", path, "--json"])
        #expect(j.code == 0)
        let o = try JSONSerialization.jsonObject(with: Data(j.stdout.utf8)) as! [String: Any]
        #expect((o["rows"] as! [[String: Any]]).count >= 8)
    }

    /// A generator ten times slower (every ratio sample ÷ 10) fails the gate. (Tiny debug runs beside other tests
    /// are too noisy for finer steps; HarnessTests.CIClaimTests checks halving on real release measurements.)
    @Test func muchLowerRatiosFailTheGate() throws {
        let (path, _) = try #require(Self.shared)
        var o = try Self.json(path)
        var cells = o["cells"] as! [[String: Any]]
        for i in cells.indices {
            var ratio = cells[i]["ratio"] as! [String: Any]
            ratio["samples"] = (ratio["samples"] as! [Double]).map { $0 / 10 }
            cells[i]["ratio"] = ratio
        }
        o["cells"] = cells
        let candidate = try Self.write(o, "slower")
        let r = try CLI.run(["gate", "--baseline", path, "--candidate", candidate, "--ratios-only"])
        #expect(r.code == 1, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("REGRESSION") && r.stdout.contains("ratio[envs=2,lanes=2]"))
    }

    /// Two repeats a side cannot make Mann–Whitney reach alpha: a halved ratio still fails, on the medians alone.
    @Test func halvedRatiosWithTwoRepeatsFailTheGate() throws {
        let (path, _) = try #require(Self.shared)
        func edited(halve: Bool) throws -> [String: Any] {
            var o = try Self.json(path)
            var cells = o["cells"] as! [[String: Any]]
            for i in cells.indices {
                var ratio = cells[i]["ratio"] as! [String: Any]
                ratio["samples"] = (ratio["samples"] as! [Double]).prefix(2).map { halve ? $0 / 2 : $0 }
                cells[i]["ratio"] = ratio
            }
            o["cells"] = cells
            return o
        }
        let baseline = try Self.write(try edited(halve: false), "two-base")
        let candidate = try Self.write(try edited(halve: true), "two-half")
        let r = try CLI.run(["gate", "--baseline", baseline, "--candidate", candidate, "--ratios-only"])
        #expect(r.code == 1, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("REGRESSION") && r.stdout.contains("medians alone"), "\(r.stdout)")
        let same = try CLI.run(["gate", "--baseline", baseline, "--candidate", baseline, "--ratios-only"])
        #expect(same.code == 0, "\(same.stdout)\(same.stderr)")
    }

    @Test func gateRefusesDifferentConfigs() throws {
        let (path, _) = try #require(Self.shared)
        var o = try Self.json(path)
        var run = o["run"] as! [String: Any]
        run["config_hash"] = String(repeating: "0", count: 64)
        o["run"] = run
        let other = try Self.write(o, "otherconfig")
        let r = try CLI.run(["gate", "--baseline", path, "--candidate", other])
        #expect(r.code == 2)
        #expect(r.stderr.contains(other) && r.stderr.contains("run.config_hash"), "\(r.stderr)")
    }

    @Test func gateWarnsAboutOtherHardware() throws {
        let (path, _) = try #require(Self.shared)
        var o = try Self.json(path)
        var machine = o["machine"] as! [String: Any]
        machine["cpu_model"] = "Another CPU"
        machine["cores"] = 64
        o["machine"] = machine
        let other = try Self.write(o, "otherhw")
        let r = try CLI.run(["gate", "--baseline", path, "--candidate", other])
        #expect(r.code == 0)
        #expect(r.stderr.contains("machine fingerprints differ") && r.stdout.contains("NOT GATED"))
    }

    @Test func malformedResultsExitTwoNamingFileAndField() throws {
        let (path, _) = try #require(Self.shared)
        var o = try Self.json(path)
        var cells = o["cells"] as! [[String: Any]]
        cells[1]["frames_per_hour"] = nil
        o["cells"] = cells
        let missing = try Self.write(o, "missing")
        let notJSON = CLI.tempDir("notjson") + ".json"
        CLI.write("{\"format\": \"synthbench-bench\", ", to: notJSON)
        let foreign = try Self.write(["images": [], "annotations": [], "categories": []], "foreign")
        let cases: [(String, String)] = [(missing, "cells[1].frames_per_hour"), (notJSON, "not valid JSON"), (foreign, "field format"),
                                         ("/nonexistent.json", "no such file")]
        for (file, message) in cases {
            for args in [["gate", "--baseline", path, "--candidate", file], ["compare", path, file]] {
                let r = try CLI.run(args)
                #expect(r.code == 2, "\(args): \(r.stdout)")
                #expect(r.stderr.contains(file) && r.stderr.contains(message), "\(args): \(r.stderr)")
            }
        }
        let bad = try CLI.run(["gate", "--baseline", path, "--candidate", path, "--max-regression", "lots"])
        #expect(bad.code == 2 && bad.stderr.contains("--max-regression"))
    }

    // MARK: compare

    @Test func compareWritesMarkdownAndHTML() throws {
        let (path, _) = try #require(Self.shared)
        var o = try Self.json(path)
        o["target"] = "workstation"
        let other = try Self.write(o, "workstation")
        let md = try CLI.run(["compare", path, other])
        #expect(md.code == 0)
        #expect(md.stdout.hasPrefix("# SynthBench comparison") && md.stdout.contains("| tiny | workstation |"))
        let report = CLI.tempDir("report")
        let r = try CLI.run(["compare", path, other, "--out", report + ".html"])
        #expect(r.code == 0, "\(r.stderr)")
        let html = try String(contentsOfFile: report + ".html", encoding: .utf8)
        #expect(html.contains("<svg") && html.contains("workstation"))
        #expect(try String(contentsOfFile: report + ".md", encoding: .utf8) + "\n" == md.stdout)
    }
}
