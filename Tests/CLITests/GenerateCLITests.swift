import Foundation
import Testing
import TestSupport

/// `synthbench generate` and `merge` end to end: exit codes, messages and what is left on disk.
@Suite(.serialized, .tags(.slow, .endToEnd)) struct GenerateCLITests {
    /// A small config file; `body` keys replace the defaults' image and episode keys.
    static func config(_ body: String = "") -> String {
        let path = CLI.tempDir("cfg") + ".yaml"
        var text = "# test config\n"
        if !body.contains("image:") { text += "image: {width: 96, height: 72}\n" }
        if !body.contains("episode:") { text += "episode: {frames: 4, render_every: 10}\n" }
        CLI.write(text + body, to: path)
        return path
    }

    /// `--quiet` prints nothing on stdout; `--json` prints the summary as JSON, with or without `--quiet`.
    @Test func quietPrintsNothingUnlessJSON() throws {
        let out = CLI.tempDir("quiet")
        let q = try CLI.run(["generate", "--config", Self.config(), "--frames", "4", "--lanes", "1", "--out", out, "--quiet"])
        #expect(q.code == 0, "\(q.stderr)")
        #expect(q.stdout.isEmpty, "\(q.stdout)")
        let j = try CLI.run(["generate", "--config", Self.config(), "--frames", "4", "--lanes", "1", "--out", out + "-j",
                             "--quiet", "--json"])
        #expect(j.code == 0, "\(j.stderr)")
        let o = try JSONSerialization.jsonObject(with: Data(j.stdout.utf8)) as! [String: Any]
        #expect(o["frames_written"] as? Int == 4 && o["out"] as? String == out + "-j")
        #expect((o["stage_ms_per_frame"] as? [String: Any])?["render"] != nil)
        // The same run again is already complete: still one JSON object.
        let again = try CLI.run(["generate", "--config", Self.config(), "--frames", "4", "--lanes", "1", "--out", out + "-j",
                                 "--resume", "--json"])
        let a = try JSONSerialization.jsonObject(with: Data(again.stdout.utf8)) as! [String: Any]
        #expect(a["already_complete"] as? Bool == true, "\(again.stdout)\(again.stderr)")
    }

    /// A child writing far more than a pipe buffer to both streams finishes (the runner drains both at once).
    @Test func runnerDrainsBothStreams() throws {
        let r = try CLI.run([], shell: "head -c 300000 /dev/zero | tr '\\0' e >&2; head -c 300000 /dev/zero | tr '\\0' o")
        #expect(r.code == 0 && r.stdout.count == 300_000 && r.stderr.count == 300_000)
    }

    @Test func generatesACompleteDataset() throws {
        let out = CLI.tempDir("ok")
        let r = try CLI.run(["generate", "--config", Self.config(), "--frames", "10", "--envs", "3", "--lanes", "2",
                             "--seed", "5", "--out", out])
        #expect(r.code == 0, "\(r.stderr)")
        #expect(r.stdout.contains("10 frames"))
        let files = try CLI.digests(out)
        #expect(files.keys.filter { $0.hasPrefix("./rgb/") }.count == 10)
        #expect(files["./annotations.json"] != nil && files["./randomization.jsonl"] != nil)
        #expect(FileManager.default.fileExists(atPath: out + "/manifest.json"))
        #expect(!FileManager.default.fileExists(atPath: out + "/.synthbench"))
        // The manifest's digests are the files' true digests.
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/manifest.json"))) as! [String: Any]
        let listed = (manifest["files"] as! [String: [String: Any]]).mapValues { $0["sha256"] as! String }
        #expect(Dictionary(uniqueKeysWithValues: listed.map { ("./" + $0.key, $0.value) }) == files)
        #expect((manifest["depth"] as! [String: Any])["unit"] as? String == "mm")
    }

    @Test(arguments: [
        ("unknown key", "colour: red\n", "colour", ":4:1"),
        ("wrong type", "randomization:\n  gravity: {uniform: [a, 9]}\n", "randomization.gravity.uniform[0]", ":5:23"),
        ("inverted range", "randomization:\n  friction: {uniform: [1.5, 0.3]}\n", "inverted range", ":5:23"),
        ("empty range", "randomization:\n  friction: {uniform: [0.3, 0.3]}\n", "empty range", ":5:23"),
        ("negative count", "episode: {frames: -4}\n", "episode.frames", ":3:19"),
        ("unknown parameter", "randomization:\n  grav: {uniform: [8, 9]}\n", "randomization.grav", ":5:3"),
    ])
    func badConfigExitsTwoNamingFileLineAndField(_ what: String, body: String, field: String, position: String) throws {
        let path = Self.config(body)
        let out = CLI.tempDir("bad")
        let r = try CLI.run(["generate", "--config", path, "--frames", "4", "--out", out])
        #expect(r.code == 2, "\(what): \(r.stderr)")
        #expect(r.stderr.contains(path + position), "\(what): \(r.stderr)")
        #expect(r.stderr.contains(field), "\(what): \(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out), "\(what) left \(out) behind")
    }

    @Test(arguments: [
        (["--frames", "-5"], "--frames"), (["--envs", "0"], "--envs"), (["--lanes", "-1"], "--lanes"),
        (["--shard", "3/2"], "--shard"), (["--shard", "0/2"], "--shard"), (["--shard", "x"], "--shard"),
        (["--preset", "medium"], "preset"), (["--resume", "--force"], "--resume"),
    ])
    func badFlagsExitTwoNamingTheFlag(_ flags: [String], flag: String) throws {
        let out = CLI.tempDir("flags")
        let r = try CLI.run(["generate", "--frames", "4", "--out", out] + flags)
        #expect(r.code == 2, "\(flags): \(r.stderr)")
        #expect(r.stderr.contains(flag), "\(flags): \(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out + "/manifest.json"))
    }

    @Test func nonEmptyOutputIsRefusedThenForcedOrResumed() throws {
        let out = CLI.tempDir("nonempty")
        let args = ["generate", "--config", Self.config(), "--frames", "4", "--out", out]
        #expect(try CLI.run(args).code == 0)
        let again = try CLI.run(args)
        #expect(again.code == 2 && again.stderr.contains("not empty"))
        #expect(try CLI.run(args + ["--resume"]).code == 0)
        #expect(try CLI.run(args + ["--force"]).code == 0)
        // --force deletes only dataset entries.
        CLI.write("notes", to: out + "/notes.txt")
        let forced = try CLI.run(args + ["--force"])
        #expect(forced.code == 2 && forced.stderr.contains("notes.txt"))
        #expect(FileManager.default.fileExists(atPath: out + "/notes.txt"))
    }

    @Test func unwritableDirectoryExitsTwo() throws {
        let parent = CLI.tempDir("ro")
        try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        // chattr-free read-only: a path under a regular file cannot be created, even by root.
        CLI.write("x", to: parent + "/file")
        let r = try CLI.run(["generate", "--config", Self.config(), "--frames", "4", "--out", parent + "/file/out"])
        #expect(r.code == 2 && r.stderr.contains(parent + "/file"), "\(r.stderr)")
    }

    @Test func fullDiskExitsTwoAndLeavesNoManifest() throws {
        let out = CLI.tempDir("full")
        // A file-size limit makes writes fail the way a full disk does (SIGXFSZ ignored → EFBIG).
        let r = try CLI.run(["generate", "--config", Self.config("image: {width: 320, height: 240}\n"),
                             "--frames", "6", "--lanes", "1", "--out", out], shell: "trap '' XFSZ; ulimit -f 40; exec \"$@\"")
        #expect(r.code == 2, "\(r.stderr)")
        #expect(r.stderr.contains(out), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out + "/manifest.json"))
        let leftovers = (FileManager.default.enumerator(atPath: out)?.allObjects as? [String] ?? []).filter { $0.hasSuffix(".partial") }
        #expect(leftovers.isEmpty, "\(leftovers)")
    }

    @Test func killedRunResumesToIdenticalBytes() throws {
        let cfg = Self.config("image: {width: 320, height: 240}\n")
        let reference = CLI.tempDir("ref")
        #expect(try CLI.run(["generate", "--config", cfg, "--frames", "60", "--lanes", "2", "--out", reference]).code == 0)
        let out = CLI.tempDir("killed")
        // Start, wait until some frames are journaled, then kill -9.
        try CLI.run(["generate", "--config", cfg, "--frames", "60", "--lanes", "2", "--out", out], shell: """
            "$@" & pid=$!
            for i in $(seq 1 6000); do
              n=$(cat '\(out)/.synthbench/journal.tsv' 2>/dev/null | wc -l); [ "$n" -ge 12 ] && break; sleep 0.01
            done
            kill -9 $pid; wait $pid; exit 0
            """)
        #expect(!FileManager.default.fileExists(atPath: out + "/manifest.json"))
        let resumed = try CLI.run(["generate", "--config", cfg, "--frames", "60", "--lanes", "1", "--envs", "5", "--resume", "--out", out])
        #expect(resumed.code == 0, "\(resumed.stderr)")
        #expect(resumed.stdout.contains("resumed at frame"), "\(resumed.stdout)")
        #expect(try CLI.digests(out) == CLI.digests(reference))
    }

    @Test func shardsMergeToTheSameBytes() throws {
        let cfg = Self.config()
        let whole = CLI.tempDir("whole")
        #expect(try CLI.run(["generate", "--config", cfg, "--frames", "18", "--out", whole]).code == 0)
        let parts = (1...3).map { _ in CLI.tempDir("part") }
        for (i, p) in parts.enumerated() {
            #expect(try CLI.run(["generate", "--config", cfg, "--frames", "18", "--shard", "\(i + 1)/3", "--out", p]).code == 0)
        }
        let merged = CLI.tempDir("merged")
        let r = try CLI.run(["merge"] + parts + ["--out", merged])
        #expect(r.code == 0, "\(r.stderr)")
        #expect(try CLI.digests(merged) == CLI.digests(whole))
        let missing = try CLI.run(["merge", parts[0], parts[2], "--out", CLI.tempDir("m")])
        #expect(missing.code == 2 && missing.stderr.contains("shards"))
    }

    /// A shard whose manifest is malformed is refused by `merge` with exit 2, naming the manifest and the field.
    @Test(arguments: [
        ("\"seed\":", "\"seed\":\"x\",\"was\":", "seed"),
        ("\"shard\":{\"index\":1,", "\"shard\":{\"index\":7,", "shard"),
        ("\"frame_range\":[0,", "\"frame_range\":[-1,", "frame_range"),
        ("\"sha256\":", "\"sha\":", "files."),
    ] as [(String, String, String)])
    func mergeRefusesAMalformedManifestNamingTheField(original: String, replacement: String, field: String) throws {
        let cfg = Self.config()
        let parts = (1...2).map { _ in CLI.tempDir("bad-part") }
        for (i, p) in parts.enumerated() {
            #expect(try CLI.run(["generate", "--config", cfg, "--frames", "4", "--shard", "\(i + 1)/2", "--out", p]).code == 0)
        }
        let manifest = parts[0] + "/manifest.json"
        let text = try String(contentsOfFile: manifest, encoding: .utf8)
        #expect(text.contains(original))
        try text.replacingOccurrences(of: original, with: replacement).write(toFile: manifest, atomically: true, encoding: .utf8)
        let r = try CLI.run(["merge"] + parts + ["--out", CLI.tempDir("bad-merged")])
        #expect(r.code == 2, "\(r.stderr)")
        #expect(r.stderr.contains(manifest + ": " + field), "\(r.stderr)")
    }

    static var python: String { ProcessInfo.processInfo.environment["SYNTHBENCH_PYTHON"] ?? "python3" }
    static var hasPycocotools: Bool {
        (try? CLI.run([], shell: "'\(python)' -c 'import pycocotools, numpy'").code) == 0
    }
    static var repository: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    }

    /// The COCO file loads in pycocotools, and every RLE, bbox and area equals what the mask PNG shows.
    @Test(.enabled(if: hasPycocotools)) func cocoAgreesWithMasksInPycocotools() throws {
        let out = CLI.tempDir("coco")
        #expect(try CLI.run(["generate", "--config", Self.config("image: {width: 160, height: 120}\n"),
                             "--frames", "24", "--out", out]).code == 0)
        let r = try CLI.run([], shell: "'\(Self.python)' '\(Self.repository)/scripts/check_coco.py' '\(out)'")
        #expect(r.code == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("\"problems\": 0"))
    }
}
