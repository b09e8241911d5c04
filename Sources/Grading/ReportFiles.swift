import Foundation
import Support

extension GradeReport {
    /// The formats a report can be printed in.
    public enum Format: String, CaseIterable, Sendable { case md, json, junit }

    /// The report printed on stdout: one submission's, or with `batch` every submission's and the class summary.
    public static func text(_ grades: [SubmissionGrade], rubric: Rubric, format: Format, batch: Bool) -> String {
        switch format {
        case .json: return (batch ? json(grades, rubric: rubric.id) : json(grades[0])) + "\n"
        case .junit: return junit(grades)
        case .md:
            let each = grades.map(markdown).joined(separator: "\n---\n\n")
            return batch ? each + "\n---\n\n" + classMarkdown(grades, rubric: rubric) : each
        }
    }

    /// Writes every format of every submission's report under `directory` (report.md, report.json, junit.xml,
    /// curves.html; with `batch` in one subdirectory per submission, named after it, plus class-summary.csv,
    /// class-summary.md and a junit.xml of all of them).
    public static func write(_ grades: [SubmissionGrade], rubric: Rubric, batch: Bool, to directory: String) throws {
        func path(_ dir: String, _ file: String) -> String { (dir as NSString).appendingPathComponent(file) }
        try FileIO.makeDirectory(directory)
        var used = Set<String>()
        for g in grades {
            var name = g.name.isEmpty ? "submission" : g.name
            var k = 2
            while used.contains(name) { name = "\(g.name)-\(k)"; k += 1 }
            used.insert(name)
            let dir = batch ? path(directory, name) : directory
            try FileIO.makeDirectory(dir)
            try FileIO.writeAtomically(markdown(g), to: path(dir, "report.md"))
            try FileIO.writeAtomically(json(g) + "\n", to: path(dir, "report.json"))
            try FileIO.writeAtomically(junit([g]), to: path(dir, "junit.xml"))
            try FileIO.writeAtomically(html(g), to: path(dir, "curves.html"))
        }
        if batch {
            try FileIO.writeAtomically(classCSV(grades, rubric: rubric), to: path(directory, "class-summary.csv"))
            try FileIO.writeAtomically(classMarkdown(grades, rubric: rubric), to: path(directory, "class-summary.md"))
            try FileIO.writeAtomically(junit(grades), to: path(directory, "junit.xml"))
        }
    }
}
