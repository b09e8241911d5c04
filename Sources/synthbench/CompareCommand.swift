import ArgumentParser
import BenchFormat
import Foundation
import Harness

struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Side-by-side report of bench results from several hardware targets (Markdown + HTML with SVG charts).",
        discussion: """
        Without --out the Markdown goes to stdout. With --out REPORT, REPORT.md and REPORT.html are written \
        (a trailing .md or .html on REPORT is dropped). Exit status 2 names the file and field of a malformed result.
        """)

    @Argument(help: "Results JSON files.") var files: [String]
    @Option(help: "Write REPORT.md and REPORT.html.") var out: String?

    func validate() throws {
        if files.isEmpty { throw ValidationError("give at least one results file") }
    }

    func run() throws {
        try runMapped {
            let inputs = try files.map { CompareReport.Input(file: $0, result: try BenchResult.read(path: $0)) }
            let report = CompareReport(inputs)
            guard let out else { print(report.markdown()); return }
            let base = try report.write(to: out)
            print("wrote \(base).md and \(base).html (\(inputs.count) targets)")
        }
    }
}
