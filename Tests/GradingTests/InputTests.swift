import Foundation
@testable import Grading
import Support
import Testing
import TestSupport

/// Untrusted submissions: paths stay inside, YAML is bounded, files over their limit are refused, every
/// malformed input names its file and field, and one broken submission does not stop a batch.
@Suite(.tags(.slow)) struct SubmissionInputTests {
    func malformed(_ dir: String, limits: GradingLimits = .standard) -> String {
        let g = Grader.grade(directory: dir, options: GradingOptions(rubric: Fixtures.smallRubric, limits: limits, auditor: NoAuditor()))
        #expect(g.status == .malformed && g.exitCode == 2 && g.checks.isEmpty)
        return g.error ?? ""
    }

    func withYAML(_ yaml: String) -> String {
        let dir = Fixtures.tempDir("yaml")
        FileManager.default.createFile(atPath: dir + "/submission.yaml", contents: Data(yaml.utf8))
        return dir
    }

    @Test func dotDotEscape() throws {
        let e = malformed(try Fixtures.build("escape-dotdot"))
        #expect(e.contains("submission.yaml:4:8: datasets.big: '../../etc' escapes the submission directory"), "\(e)")
    }

    @Test func absolutePathEscape() throws {
        let e = malformed(try Fixtures.build("escape-absolute"))
        #expect(e.contains("models.m.training_log: '/etc/passwd' escapes the submission directory (absolute path)"), "\(e)")
    }

    @Test func symlinkEscape() throws {
        let dir = try Fixtures.build("pass")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let outside = Fixtures.tempDir("outside")
        try FileManager.default.createSymbolicLink(atPath: dir + "/test/elsewhere.json", withDestinationPath: outside)
        let path = dir + "/submission.yaml"
        try FileIO.writeAtomically(try String(contentsOfFile: path, encoding: .utf8)
            .replacingOccurrences(of: "real: test/real.json", with: "real: test/elsewhere.json"), to: path)
        let e = malformed(dir)
        #expect(e.contains("test_sets.real: 'test/elsewhere.json' escapes the submission directory (resolves to"), "\(e)")
    }

    @Test func symlinkInsideADatasetEscape() throws {
        let dir = try Fixtures.build("pass")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createSymbolicLink(atPath: dir + "/data/train/rgb/extra.png", withDestinationPath: "/etc/hostname")
        let e = malformed(dir)
        #expect(e.contains("rgb/extra.png: datasets.train: symlink leads outside the submission"), "\(e)")
    }

    @Test func symlinkInsideStaysAllowed() throws {
        let dir = try Fixtures.build("pass")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createSymbolicLink(atPath: dir + "/test/alias.json", withDestinationPath: dir + "/test/real.json")
        let path = dir + "/submission.yaml"
        try FileIO.writeAtomically(try String(contentsOfFile: path, encoding: .utf8)
            .replacingOccurrences(of: "real: test/real.json", with: "real: test/alias.json"), to: path)
        let g = Fixtures.grade(dir, auditor: NoAuditor())
        #expect(g.status == .graded)
    }

    @Test func syntaxErrorHasLineAndColumn() throws {
        let e = malformed(try Fixtures.build("malformed-yaml"))
        #expect(e.range(of: #"submission\.yaml:\d+:\d+: not valid YAML"#, options: .regularExpression) != nil, "\(e)")
    }

    @Test func badFieldIsNamed() throws {
        let e = malformed(try Fixtures.build("malformed-field"))
        #expect(e.contains("submission.yaml:6:20: models.m.randomization: 'extreme' is not one of: none, light, full"), "\(e)")
    }

    @Test(arguments: [
        ("exercises: [ex9]\n", "exercises[0]: 'ex9' is not an exercise of rubric small-course"),
        ("exercises: [ex4]\nsurprise: 1\n", "surprise: unknown key"),
        ("exercises: [ex4]\nmodels:\n  m: {trained_on: synthetic, randomization: full}\nreported:\n  ex9.gap: 3\n",
         "reported.ex9.gap: no check 'ex9.gap' in rubric small-course"),
        ("exercises: [ex4]\nmodels:\n  m: {trained_on: synthetic, randomization: full}\nreported:\n  ex4.gap: '3'\n",
         "reported.ex4.gap: expected a finite number"),
        ("exercises: [ex4]\n", "exercises.ex4.model: not given, and 0 models meet {trained_on: synthetic} (name one)"),
        ("exercises: [ex4]\nmodels:\n  a: {trained_on: synthetic, randomization: full}\n  b: {trained_on: synthetic, randomization: none}\n",
         "exercises.ex4.model: not given, and 2 models meet"),
        ("exercises: {ex4: {model: ghost}}\nmodels:\n  a: {trained_on: synthetic, randomization: full}\n",
         "exercises.ex4.model: names no model 'ghost'"),
        ("exercises: {ex4: {teacher: a}}\nmodels:\n  a: {trained_on: synthetic, randomization: full}\n",
         "exercises.ex4.teacher: exercise 'ex4' has no role 'teacher'"),
        ("exercises: [ex4]\nmodels:\n  a: {trained_on: synthetic}\n", "models.a.randomization: missing"),
        ("exercises: [ex4]\nmodels:\n  a: {trained_on: synthetic, randomization: full, pretrained_on: b}\n  b: {trained_on: real, pretrained_on: a}\n",
         "pre-training cycle"),
        ("exercises: [ex4]\nmodels:\n  a: {trained_on: synthetic, randomization: full, detections: {real: d.json}}\n",
         "models.a.detections.real: no test set 'real' in test_sets"),
        ("exercises: [general]\n", "exercises[0]: 'general' is graded for every submission"),
        ("exercises: [ex4, ex4]\n", "'ex4' listed twice"),
        ("[1, 2]\n", "expected a mapping"),
        ("", "empty document"),
    ])
    func malformedSubmission(_ yaml: String, _ expected: String) {
        let dir = withYAML(yaml)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let e = malformed(dir)
        #expect(e.contains(expected), "\(e)")
        #expect(e.contains("submission.yaml"))
    }

    @Test func aliasBombIsBounded() {
        var yaml = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for i in 1...9 { yaml += "a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 10).joined(separator: ", ") + "]\n" }
        yaml += "exercises: [ex4]\n"
        let dir = withYAML(yaml)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let start = Date()
        let e = malformed(dir)
        #expect(e.contains("more than 100000 YAML nodes once aliases are expanded; refused"), "\(e)")
        #expect(Date().timeIntervalSince(start) < 10)
    }

    @Test(arguments: ["flow", "block"])
    func deepNestingIsBounded(_ style: String) {
        let n = style == "flow" ? 100_000 : 400
        let yaml = style == "flow"
            ? "exercises: " + String(repeating: "[", count: n) + String(repeating: "]", count: n) + "\n"
            : "exercises:\n" + (1...n).map { String(repeating: " ", count: $0) + "k\($0):" }.joined(separator: "\n") + " x\n"
        let dir = withYAML(yaml)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let e = malformed(dir)
        #expect(e.contains("nested deeper than the limit (32 levels); refused"), "\(e)")
    }

    @Test func oversizedFilesAreRefused() throws {
        var small = GradingLimits()
        small.yamlBytes = 64
        let dir = try Fixtures.build("pass")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(malformed(dir, limits: small).contains("submission.yaml is"))
        #expect(malformed(dir, limits: small).contains("over the limit of 64 bytes; refused"))
        var coco = GradingLimits()
        coco.cocoBytes = 1000
        let e = malformed(dir, limits: coco)
        #expect(e.contains("test/real.json: test_sets.real: ground truth is") && e.contains("refused"), "\(e)")
        var csv = GradingLimits()
        csv.csvBytes = 10
        #expect(malformed(dir, limits: csv).contains("training log is"))
    }

    @Test func unreadableArtifactsNameTheirField() throws {
        let dir = try Fixtures.build("pass")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileIO.writeAtomically("[{\"image_id\": 999999, \"category_id\": 1, \"bbox\": [0, 0, 1, 1], \"score\": 0.5}]", to: dir + "/det/full-real.json")
        let e = malformed(dir)
        #expect(e.contains("det/full-real.json: models.full.detections.real:"), "\(e)")
        try FileIO.writeAtomically("epoch,wall_seconds,images_seen,metric\n1,10,100,0.5\n2,5,200,0.6\n", to: dir + "/logs/full.csv")
        try FileIO.writeAtomically(SimulatedDetector.resultsJSON([]), to: dir + "/det/full-real.json")
        let e2 = malformed(dir)
        #expect(e2.contains("logs/full.csv:3:1: wall_seconds: decreases"), "\(e2)")
    }

    /// A class directory: each submission graded on its own, a broken one among them.
    @Test func batchContinuesPastBrokenSubmissions() throws {
        let root = Fixtures.tempDir("class")
        defer { try? FileManager.default.removeItem(atPath: root) }
        _ = try Fixtures.build("pass", into: root + "/alice")
        _ = try Fixtures.build("malformed-yaml", into: root + "/bob")
        _ = try Fixtures.build("fail-ex2", into: root + "/carol")
        try FileManager.default.createDirectory(atPath: root + "/not-a-submission", withIntermediateDirectories: true)
        let (subs, classes) = Grader.expand([root])
        #expect(classes == [root] && subs.map { ($0 as NSString).lastPathComponent } == ["alice", "bob", "carol"])
        let grades = subs.map { Fixtures.grade($0) }
        #expect(grades.map(\.exitCode) == [0, 2, 1])
        let csv = GradeReport.classCSV(grades, rubric: Fixtures.smallRubric)
        let lines = csv.split(separator: "\n")
        #expect(lines.count == 4)
        #expect(lines[2].contains(",malformed,2,") && lines[2].contains("malformed"))
        #expect(lines[3].hasPrefix("fail-ex2,") && lines[3].contains(",fail,"))
        let md = GradeReport.classMarkdown(grades, rubric: Fixtures.smallRubric)
        #expect(md.contains("3 submissions: 1 pass every required check, 1 fail one or more, 1 malformed."))
        #expect(md.contains("| `ex2.full_better` | 1 | 1 |"))
    }
}

@Suite struct RubricValidationTests {
    static let base = try! String(contentsOfFile: Fixtures.smallRubricPath, encoding: .utf8)

    @Test(arguments: [
        ("    metric: accuracy_gain\n", "    metric: accuracy_gainz\n", "checks[2].metric: 'accuracy_gainz' is not one of"),
        ("    comparator: between\n    threshold: [10, 50]\n", "    comparator: between\n    threshold: 10\n", "checks[12].threshold: expected a list"),
        ("    threshold: [10, 50]\n", "    threshold: [50, 10]\n", "checks[12].threshold: low 50.0 is above high 10.0"),
        ("    test: paired_bootstrap\n    alpha: 0.05\n", "    alpha: 0.05\n", "checks[11].test: accuracy_superiority needs `test: paired_bootstrap`"),
        ("    test: paired_bootstrap\n    alpha: 0.05\n", "    test: paired_bootstrap\n", "checks[11].alpha: missing (needed by paired_bootstrap)"),
        ("    test: paired_bootstrap\n    alpha: 0.05\n", "    test: paired_bootstrap\n    alpha: 0.7\n", "checks[11].alpha: must be in (0, 0.5)"),
        ("    test: bootstrap_ci\n", "    test: paired_bootstrap\n", "checks[14].test: paired_bootstrap does not apply to domain_gap"),
        ("      baseline: {model: {randomization: none, trained_on: synthetic}}\n", "", "accuracy_gain reads role 'baseline' (model), which exercise 'lab1' does not declare"),
        ("  - id: lab2.frames\n", "  - id: lab2.envs\n", "checks[4].id: duplicate check id 'lab2.envs'"),
        ("accuracy: {statistic: ap50, iou_type: bbox}", "accuracy: {statistic: map, iou_type: bbox}", "accuracy.statistic: 'map' is not one of: ap, ap50, ap75, ar100"),
        ("tolerance: {absolute: 0.5, relative: 0.01}", "tolerance: {absolute: -1, relative: 0.01}", "tolerance.absolute: must be >= 0"),
        ("    exercise: lab3\n", "    exercise: lab9\n", "exercise: 'lab9' is not an exercise of this rubric"),
        ("    roles: {bench: bench}\n", "    roles: {bench: benchmark}\n", "exercises.obj8.roles.bench: 'benchmark' is not one of: model, dataset, bench"),
        ("    require_image: [640, 480]\n", "    require_image: [640]\n", "require_image: expected [width, height]"),
        ("rubric: small-course\n", "rubric: small-course\nextra: 1\n", "extra: unknown key"),
        ("checks:\n", "checks: [\n", "not valid YAML"),
    ])
    func invalid(_ find: String, _ replace: String, _ expected: String) {
        #expect(Self.base.contains(find), "fixture text changed: \(find)")
        let text = Self.base.replacingOccurrences(of: find, with: replace)
        do {
            _ = try Rubric.parse(yaml: text, file: "course.yaml")
            Issue.record("accepted: \(expected)")
        } catch let e as InputError {
            #expect(e.description.contains(expected), "\(e)")
            #expect(e.file == "course.yaml" && e.line > 0, "\(e)")
        } catch {
            Issue.record("\(error)")
        }
    }

    @Test func accuracyIsARubricSetting() throws {
        let text = Self.base.replacingOccurrences(of: "accuracy: {statistic: ap50, iou_type: bbox}", with: "accuracy: {statistic: ap, iou_type: segm}")
        let r = try Rubric.parse(yaml: text, file: "course.yaml")
        #expect(r.accuracy.statistic == .ap && r.accuracy.iouType == "segm")
        #expect(r.accuracy.iouThresholds.count == 10)
    }
}

@Suite(.tags(.slow)) struct ArtifactReaderTests {
    @Test func trainingLog() throws {
        let log = try TrainingLog.parse("epoch, wall_seconds ,images_seen,metric,loss\n1,100,10,0.5,2.0\n2,200,20,0.7,1.5\n3,300,30,0.65,1.4\n", file: "l.csv")
        #expect(log.rows.count == 3 && log.bestMetric == 0.7 && log.finalMetric == 0.65 && log.totalSeconds == 300)
        #expect(log.secondsToReach(0.6) == 200 && log.secondsToReach(0.8) == nil)
    }

    @Test(arguments: [
        ("epoch,wall_seconds,metric\n1,2,0.5\n", "l.csv:1:1: images_seen: missing column"),
        ("epoch,wall_seconds,images_seen,metric\n1,2,3,abc\n", "l.csv:2:7: metric: 'abc' is not a finite number"),
        ("epoch,wall_seconds,images_seen,metric\n1,2,3,0.5\n1,3,4,0.6\n", "l.csv:3:1: epoch: does not increase"),
        ("epoch,wall_seconds,images_seen,metric\n1,2,3,85\n", "metric: 85.0 is above 1"),
        ("epoch,wall_seconds,images_seen,metric\n1,2,3\n", "l.csv:2:1: 3 fields, the header has 4"),
        ("epoch,wall_seconds,images_seen,metric\n", "no data row"),
        ("epoch,wall_seconds,images_seen,metric\n1,-2,3,0.1\n", "wall_seconds: negative"),
    ])
    func badLog(_ text: String, _ expected: String) {
        #expect(throws: InputError.self) { try TrainingLog.parse(text, file: "l.csv") }
        do { _ = try TrainingLog.parse(text, file: "l.csv") } catch { #expect("\(error)".contains(expected), "\(error)") }
    }

    @Test func benchResultOfTheHarness() throws {
        let path = Fixtures.repo + "/results/ci-baseline.json"
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as! [String: Any]
        let ref = object["reference_cell"] as! [String: Int]
        let cell = (object["cells"] as! [[String: Any]]).first { ($0["envs"] as! Int) == ref["envs"]! && ($0["lanes"] as! Int) == ref["lanes"]! }!
        let median = ((cell["frames_per_hour"] as! [String: Any])["median"] as! NSNumber).doubleValue
        let b = try BenchFacts.read(path: path)
        #expect(b.framesPerHour == median && b.schema.hasPrefix("synthbench-bench"))
        #expect(b.imageWidth != nil && b.build != nil)
    }

    @Test func benchResultGeneric() throws {
        let dir = Fixtures.tempDir("bench")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileIO.writeAtomically(#"{"cells":[{"frames_per_hour":{"median":5}},{"envs":2,"lanes":1,"frames_per_hour":{"median":9}}]}"#, to: dir + "/a.json")
        let b = try BenchFacts.read(path: dir + "/a.json")
        #expect(b.framesPerHour == 9 && b.cell == "cells[1] (envs 2, lanes 1)" && b.imageWidth == nil)
        try FileIO.writeAtomically(#"{"cells":[{"frames_per_hour":{"mean":5}}]}"#, to: dir + "/b.json")
        #expect(throws: InputError.self) { try BenchFacts.read(path: dir + "/b.json") }
        do { _ = try BenchFacts.read(path: dir + "/b.json") } catch { #expect("\(error)".contains("cells[0].frames_per_hour.median")) }
    }

    @Test func tolerance() {
        let t = Tolerance(absolute: 0.5, relative: 0.01)
        #expect(t.agrees(reported: 10.4, computed: 10) && !t.agrees(reported: 10.6, computed: 10))
        #expect(t.agrees(reported: 100_900, computed: 100_000) && !t.agrees(reported: 101_100, computed: 100_000))
    }
}
