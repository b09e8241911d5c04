import ArgumentParser
import Foundation
import Grading

extension GradeReport.Format: ExpressibleByArgument {}

struct GradeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grade",
        abstract: "Grade exercise submissions against a rubric, recomputing every number from the artifacts.",
        discussion: """
        SUBMISSION is a directory holding submission.yaml (format in docs/GRADING.md), or a class directory whose \
        subdirectories hold one each. Every metric is recomputed (validate and audit on datasets, eval on \
        detections, bench results read, time-to-accuracy from training logs) and compared with the rubric's \
        threshold and test; reported numbers are compared with the recomputed ones. Nothing of a submission \
        is executed; files above the stated size limits are refused.
        Default rubric: the built-in chapter 4 rubric (fixtures/rubrics/chapter4.yaml).
        Output: the report in --format on stdout; with --out, every format per submission (report.md, \
        report.json, junit.xml, curves.html) and, for several submissions, class-summary.csv and .md.
        Exit status: 0 every required check passes, 1 a check fails, 2 a submission or the rubric is malformed \
        (the message names the file and field); with several submissions, the highest.
        """)

    @Argument(help: "Submission directories, or class directories of submissions.") var submissions: [String] = []
    @Option(help: "Rubric YAML (default: the built-in chapter 4 rubric).") var rubric: String?
    @Option(help: "Report printed on stdout: md, json or junit.") var format: GradeReport.Format = .md
    @Option(help: "Directory for every report format and the class summary.") var out: String?
    @Flag(help: "Discrepancies between reported and recomputed numbers fail the submission too.") var strict = false
    @Flag(help: "Skip the randomization audit of datasets (audit checks report 'unavailable').") var noAudit = false
    @Flag(help: "Print nothing on stdout.") var quiet = false

    func validate() throws {
        if submissions.isEmpty { throw ValidationError("missing SUBMISSION (a directory holding submission.yaml)") }
    }

    func run() throws {
        let r = try runMapped { try rubric.map { try Rubric.load(path: $0) } ?? Rubric.chapter4() }
        let options = GradingOptions(rubric: r, auditor: noAudit ? NoAuditor() : AuditLibraryAuditor(), strict: strict)
        let (paths, classes) = Grader.expand(submissions)
        var grades: [SubmissionGrade] = []
        for p in paths {
            let g = Grader.grade(directory: p, options: options)
            if let e = g.error { printError(e) }
            grades.append(g)
        }
        let batch = grades.count > 1 || !classes.isEmpty
        if !quiet { print(GradeReport.text(grades, rubric: r, format: format, batch: batch), terminator: "") }
        if let out {
            try runMapped(context: "--out \(out)") { try GradeReport.write(grades, rubric: r, batch: batch, to: out) }
        }
        let code = grades.map(\.exitCode).max() ?? 0
        if code != 0 { throw ExitCode(code) }
    }
}
