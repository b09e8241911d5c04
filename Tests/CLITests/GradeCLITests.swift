import Foundation
import Testing
import TestSupport

/// `synthbench grade` end to end on the committed submissions of fixtures/submissions/, their datasets
/// generated with `synthbench generate` from each one's datasets.tsv.
@Suite(.tags(.slow, .endToEnd)) struct GradeCLITests {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    static let rubric = repo + "/fixtures/rubrics/small-course.yaml"

    /// A copy of a committed submission with its datasets generated.
    static func submission(_ name: String, into dir: String? = nil) throws -> String {
        let out = dir ?? CLI.tempDir("grade-\(name)")
        try FileManager.default.createDirectory(atPath: (out as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: repo + "/fixtures/submissions/" + name, toPath: out)
        let tsv = try String(contentsOfFile: out + "/datasets.tsv", encoding: .utf8)
        for line in tsv.split(separator: "\n") where !line.hasPrefix("#") {
            let f = line.split(separator: "\t").map(String.init)
            let r = try CLI.run(["generate", "--config", out + "/" + f[1], "--frames", f[2], "--envs", f[3], "--seed", f[4],
                                 "--lanes", "2", "--out", out + "/" + f[0], "--quiet"])
            #expect(r.code == 0, "\(r.stderr)")
        }
        return out
    }

    static func edit(_ dir: String, _ from: String, _ to: String) throws {
        let p = dir + "/submission.yaml"
        let text = try String(contentsOfFile: p, encoding: .utf8)
        #expect(text.contains(from))
        try text.replacingOccurrences(of: from, with: to).write(toFile: p, atomically: true, encoding: .utf8)
    }

    @Test func passingSubmissionWritesEveryFormat() throws {
        let dir = try Self.submission("pass")
        let out = CLI.tempDir("grade-out")
        defer { try? FileManager.default.removeItem(atPath: dir); try? FileManager.default.removeItem(atPath: out) }
        let r = try CLI.run(["grade", dir, "--rubric", Self.rubric, "--out", out])
        #expect(r.code == 0, "\(r.stdout)\n\(r.stderr)")
        #expect(r.stdout.contains("**All required checks pass**"))
        #expect(r.stdout.contains("| check | computed | reported | threshold | verdict | evidence |"))
        for f in ["report.md", "report.json", "junit.xml", "curves.html"] {
            #expect(FileManager.default.fileExists(atPath: out + "/" + f), "\(f)")
        }
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/report.json"))) as! [String: Any]
        #expect(json["exit_code"] as? Int == 0 && (json["checks"] as! [Any]).count == 21)
        let html = try String(contentsOfFile: out + "/curves.html", encoding: .utf8)
        #expect(html.contains("<svg") && html.contains("<polyline"))
    }

    @Test func failingSubmission() throws {
        let dir = try Self.submission("fail-ex2")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try CLI.run(["grade", dir, "--rubric", Self.rubric, "--format", "json"])
        #expect(r.code == 1, "\(r.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        let failed = (json["checks"] as! [[String: Any]]).filter { $0["verdict"] as? String == "fail" }.map { $0["id"] as! String }
        #expect(failed == ["ex2.full_better"])
        let junit = try CLI.run(["grade", dir, "--rubric", Self.rubric, "--format", "junit", "--no-audit"])
        #expect(junit.code == 1)
        #expect(junit.stdout.contains("<testcase classname=\"small-course.ex2\" name=\"ex2.full_better\">"))
        #expect(junit.stdout.components(separatedBy: "<failure ").count == 2)
        #expect(junit.stdout.contains("<skipped message=\"audit not available"))
    }

    @Test func discrepancyAndStrict() throws {
        let dir = try Self.submission("pass")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let text = try String(contentsOfFile: dir + "/submission.yaml", encoding: .utf8)
        let line = text.split(separator: "\n").first { $0.hasPrefix("  ex4.gap: ") }!
        try Self.edit(dir, String(line) + "\n", "  ex4.gap: 0.5\n")
        let r = try CLI.run(["grade", dir, "--rubric", Self.rubric])
        #expect(r.code == 0, "\(r.stderr)")
        #expect(r.stdout.contains("PASS · DISCREPANCY") && r.stdout.contains("1 discrepancy"))
        let strict = try CLI.run(["grade", dir, "--rubric", Self.rubric, "--strict", "--quiet"])
        #expect(strict.code == 1 && strict.stdout.isEmpty)
    }

    @Test(arguments: [
        ("escape-dotdot", "submission.yaml:4:8: datasets.big: '../../etc' escapes the submission directory"),
        ("escape-absolute", "models.m.training_log: '/etc/passwd' escapes the submission directory (absolute path)"),
        ("malformed-yaml", "submission.yaml:2:10: not valid YAML: while parsing a flow sequence"),
        ("malformed-field", "submission.yaml:6:20: models.m.randomization: 'extreme' is not one of: none, light, full"),
    ])
    func malformedSubmission(_ name: String, _ message: String) throws {
        let dir = try Self.submission(name)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try CLI.run(["grade", dir, "--rubric", Self.rubric])
        #expect(r.code == 2)
        #expect(r.stderr.contains(message), "\(r.stderr)")
        #expect(r.stdout.contains("**Malformed submission** (exit 2)"))
    }

    @Test func malformedRubric() throws {
        let dir = CLI.tempDir("grade-rubric")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let text = try String(contentsOfFile: Self.rubric, encoding: .utf8)
            .replacingOccurrences(of: "    comparator: \">=\"\n    threshold: 100000\n", with: "    comparator: \">=\"\n    threshold: lots\n")
        CLI.write(text, to: dir + "/course.yaml")
        let r = try CLI.run(["grade", dir, "--rubric", dir + "/course.yaml"])
        #expect(r.code == 2)
        #expect(r.stderr.contains("course.yaml:") && r.stderr.contains("checks[1].threshold: expected a finite number"), "\(r.stderr)")
        let missing = try CLI.run(["grade", dir, "--rubric", dir + "/nope.yaml"])
        #expect(missing.code == 2 && missing.stderr.contains("nope.yaml"))
    }

    @Test func usage() throws {
        #expect(try CLI.run(["grade"]).code == 2)
        let r = try CLI.run(["grade", "x", "--format", "pdf"])
        #expect(r.code == 2 && r.stderr.contains("'pdf' is invalid for '--format")
                && r.stderr.contains("'md', 'json' or 'junit'"), "\(r.stderr)")
    }

    /// The built-in rubric is the chapter's: a small submission fails its scale thresholds.
    @Test func defaultRubricIsTheChapters() throws {
        let dir = try Self.submission("pass")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try CLI.run(["grade", dir, "--format", "json", "--no-audit"])
        #expect(r.code == 1)
        let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        #expect(json["rubric"] as? String == "chapter4")
        let failed = Set((json["checks"] as! [[String: Any]]).filter { $0["verdict"] as? String == "fail" }.map { $0["id"] as! String })
        #expect(failed == ["lab2.envs", "lab2.frames", "ex1.frames", "ex1.size", "capstone.frames"])
    }

    /// A class directory: every submission graded, a broken one included; class summary in CSV and Markdown.
    @Test func classDirectory() throws {
        let root = CLI.tempDir("grade-class")
        let out = CLI.tempDir("grade-class-out")
        defer { try? FileManager.default.removeItem(atPath: root); try? FileManager.default.removeItem(atPath: out) }
        _ = try Self.submission("pass", into: root + "/alice")
        _ = try Self.submission("malformed-yaml", into: root + "/bob")
        _ = try Self.submission("fail-ex2", into: root + "/carol")
        let r = try CLI.run(["grade", root, "--rubric", Self.rubric, "--out", out, "--no-audit"])
        #expect(r.code == 2)
        #expect(r.stderr.contains("bob/submission.yaml:2:10: not valid YAML"))
        #expect(r.stdout.contains("# Class summary: rubric small-course"))
        for f in ["class-summary.csv", "class-summary.md", "junit.xml", "alice/report.md", "bob/report.json", "carol/junit.xml"] {
            #expect(FileManager.default.fileExists(atPath: out + "/" + f), "\(f)")
        }
        let csv = try String(contentsOfFile: out + "/class-summary.csv", encoding: .utf8).split(separator: "\n")
        #expect(csv.count == 4)
        #expect(csv[1].hasPrefix("pass,") && csv[1].contains(",graded,0,"))
        #expect(csv[2].contains(",malformed,2,"))
        #expect(csv[3].hasPrefix("fail-ex2,") && csv[3].contains(",graded,1,"))
    }
}
