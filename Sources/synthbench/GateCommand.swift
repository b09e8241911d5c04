import ArgumentParser
import BenchFormat
import Foundation
import Harness

struct GateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gate",
        abstract: "Decide whether a bench result regressed against a baseline (Mann–Whitney U over the repeats + a threshold).",
        discussion: """
        A metric regresses only when the candidate is worse with statistical significance (one-sided \
        Mann–Whitney U over the repeats, p < --alpha) AND by more than --max-regression. Metrics: frames/hour \
        and the encode-ceiling ratio per cell, lane efficiency and lane efficiency relative to the ceiling's \
        scaling, memory per environment. When the machines differ, or with --ratios-only, only the \
        hardware-independent ratios are gated. Different configs are refused.
        Exit status: 0 no regression, 1 a regression, 2 unreadable, malformed or incomparable results.
        """)

    @Option(help: "Baseline results JSON.") var baseline: String
    @Option(help: "Candidate results JSON.") var candidate: String
    @Option(help: "Change in the bad direction that counts as a regression, e.g. 5% or 0.05.") var maxRegression = Fraction(argument: "5%")!
    @Option(help: "Significance level of each one-sided test.") var alpha: Double = 0.002
    @Flag(help: "Gate only the hardware-independent ratios.") var ratiosOnly = false
    @Flag(help: "Print the report as JSON.") var json = false

    func validate() throws {
        if !(alpha > 0 && alpha < 1) { throw ValidationError("--alpha: must be between 0 and 1 (got \(alpha))") }
    }

    func run() throws {
        var code: Int32 = 0
        try runMapped {
            let b = try BenchResult.read(path: baseline)
            let c = try BenchResult.read(path: candidate)
            let options = Gate.Options(maxRegression: maxRegression.value, alpha: alpha,
                                       ratiosOnly: ratiosOnly)
            let report = try Gate.evaluate(baseline: b, candidate: c, baselineFile: baseline, candidateFile: candidate, options: options)
            for w in report.warnings { printError("warning: " + w) }
            print(json ? try report.json() : report.text())
            code = report.exitCode
        }
        if code != 0 { throw ExitCode(code) }
    }
}
