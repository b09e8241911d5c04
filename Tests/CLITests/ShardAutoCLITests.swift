import Foundation
import Testing
import TestSupport

/// `generate --shard auto`: the shard from a Slurm job array's or a Kubernetes Indexed Job's environment.
@Suite(.serialized, .tags(.slow, .endToEnd)) struct ShardAutoCLITests {
    /// Every variable `--shard auto` reads, unset (empty counts as unset), so that a test run inside a Slurm job
    /// does not see that job's values.
    static let clean: [String: String] = [
        "SLURM_ARRAY_TASK_ID": "", "SLURM_ARRAY_TASK_COUNT": "", "SLURM_ARRAY_TASK_MIN": "", "SLURM_ARRAY_TASK_MAX": "",
        "JOB_COMPLETION_INDEX": "", "SYNTHBENCH_SHARD_COUNT": "",
    ]

    static func environment(_ set: [String: String]) -> [String: String] {
        clean.merging(set) { _, new in new }
    }

    /// 12 frames of 4-frame episodes: three shards of one episode each.
    static func generate(_ flags: [String], env: [String: String], out: String) throws -> CLI.Result {
        try CLI.run(["generate", "--config", GenerateCLITests.config(), "--frames", "12", "--seed", "9", "--envs", "2",
                     "--lanes", "1", "--out", out, "--quiet"] + flags, environment: environment(env))
    }

    static func shard(of dir: String) throws -> (Int, Int) {
        let m = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/manifest.json"))) as! [String: Any]
        let s = m["shard"] as! [String: Any]
        return (s["index"] as! Int, s["count"] as! Int)
    }

    @Test func slurmAndKubernetesVariablesPickTheSameShardAsExplicitFlags() throws {
        let explicit = CLI.tempDir("shard-explicit")
        let r = try Self.generate(["--shard", "2/3"], env: [:], out: explicit)
        #expect(r.code == 0, "\(r.stderr)")
        let expected = try CLI.digests(explicit)
        #expect(expected.keys.filter { $0.hasPrefix("./rgb/") }.sorted() == (4..<8).map { String(format: "./rgb/rgb_%06d.png", $0) })
        let cases: [(String, [String], [String: String])] = [
            ("slurm", [], ["SLURM_ARRAY_TASK_ID": "2", "SLURM_ARRAY_TASK_COUNT": "3", "SLURM_ARRAY_TASK_MIN": "1", "SLURM_ARRAY_TASK_MAX": "3"]),
            ("k8s env", [], ["JOB_COMPLETION_INDEX": "1", "SYNTHBENCH_SHARD_COUNT": "3"]),
            ("k8s flag", ["--shard-count", "3"], ["JOB_COMPLETION_INDEX": "1"]),
            ("both agree", [], ["SLURM_ARRAY_TASK_ID": "2", "SLURM_ARRAY_TASK_COUNT": "3", "JOB_COMPLETION_INDEX": "1",
                                "SYNTHBENCH_SHARD_COUNT": "3"]),
        ]
        for (what, flags, env) in cases {
            let out = CLI.tempDir("shard-auto")
            let a = try Self.generate(["--shard", "auto"] + flags, env: env, out: out)
            #expect(a.code == 0, "\(what): \(a.stderr)")
            #expect(try Self.shard(of: out) == (2, 3), "\(what)")
            #expect(try CLI.digests(out) == expected, "\(what): files differ from --shard 2/3")
        }
    }

    @Test(arguments: [
        ("nothing set", [], [:], ["SLURM_ARRAY_TASK_ID", "JOB_COMPLETION_INDEX"]),
        ("slurm id without count", [], ["SLURM_ARRAY_TASK_ID": "1"], ["SLURM_ARRAY_TASK_COUNT"]),
        ("slurm count without id", [], ["SLURM_ARRAY_TASK_COUNT": "4"], ["SLURM_ARRAY_TASK_ID"]),
        ("slurm id not a number", [], ["SLURM_ARRAY_TASK_ID": "x", "SLURM_ARRAY_TASK_COUNT": "4"], ["SLURM_ARRAY_TASK_ID='x'"]),
        ("slurm id past count", [], ["SLURM_ARRAY_TASK_ID": "5", "SLURM_ARRAY_TASK_COUNT": "4"], ["SLURM_ARRAY_TASK_ID=5"]),
        ("slurm 0-based array", [], ["SLURM_ARRAY_TASK_ID": "1", "SLURM_ARRAY_TASK_COUNT": "4", "SLURM_ARRAY_TASK_MIN": "0",
                                      "SLURM_ARRAY_TASK_MAX": "3"], ["SLURM_ARRAY_TASK_MIN=0"]),
        ("slurm count vs flag", ["--shard-count", "3"], ["SLURM_ARRAY_TASK_ID": "1", "SLURM_ARRAY_TASK_COUNT": "4"],
         ["--shard-count 3", "SLURM_ARRAY_TASK_COUNT=4"]),
        ("k8s without count", [], ["JOB_COMPLETION_INDEX": "0"], ["JOB_COMPLETION_INDEX", "SYNTHBENCH_SHARD_COUNT", "--shard-count"]),
        ("k8s index past count", [], ["JOB_COMPLETION_INDEX": "3", "SYNTHBENCH_SHARD_COUNT": "3"], ["JOB_COMPLETION_INDEX=3"]),
        ("k8s count not a number", [], ["JOB_COMPLETION_INDEX": "0", "SYNTHBENCH_SHARD_COUNT": "four"], ["SYNTHBENCH_SHARD_COUNT='four'"]),
        ("k8s flag vs env", ["--shard-count", "4"], ["JOB_COMPLETION_INDEX": "0", "SYNTHBENCH_SHARD_COUNT": "3"],
         ["--shard-count 4", "SYNTHBENCH_SHARD_COUNT=3"]),
        ("schedulers disagree", [], ["SLURM_ARRAY_TASK_ID": "2", "SLURM_ARRAY_TASK_COUNT": "3", "JOB_COMPLETION_INDEX": "0",
                                     "SYNTHBENCH_SHARD_COUNT": "3"], ["SLURM_ARRAY_TASK_ID=2", "JOB_COMPLETION_INDEX=0", "disagree"]),
    ] as [(String, [String], [String: String], [String])])
    func badEnvironmentExitsTwoNamingTheVariable(_ what: String, flags: [String], env: [String: String], names: [String]) throws {
        let out = CLI.tempDir("shard-bad")
        let r = try Self.generate(["--shard", "auto"] + flags, env: env, out: out)
        #expect(r.code == 2, "\(what): \(r.stderr)")
        for name in names { #expect(r.stderr.contains(name), "\(what): '\(name)' not in \(r.stderr)") }
        #expect(!FileManager.default.fileExists(atPath: out), "\(what) left \(out) behind")
    }

    @Test func shardCountOnlyWithAuto() throws {
        for flags in [["--shard-count", "2"], ["--shard", "1/2", "--shard-count", "2"]] {
            let out = CLI.tempDir("shard-count")
            let r = try Self.generate(flags, env: [:], out: out)
            #expect(r.code == 2 && r.stderr.contains("--shard-count"), "\(flags): \(r.stderr)")
            #expect(!FileManager.default.fileExists(atPath: out))
        }
    }
}
