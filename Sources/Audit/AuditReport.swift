import Foundation
import Support

/// The outcome of one audit check.
public enum AuditVerdict: String, Sendable, Equatable {
    case pass, fail, skipped
}

/// One check of an audit: what was tested, on how many units, its statistic, p-value and effect size where
/// it has them, and its verdict.
public struct AuditCheck: Sendable, Equatable {
    /// Unique id, `kind:subject`, e.g. `ks:light_intensity`, `chi-square:num_obstacles`,
    /// `independence:light_intensity~camera_distance`, `pixel:object_scale`, `frames`.
    public var id: String
    /// The kind of check (see docs/FORMATS.md, "audit --json").
    public var kind: String
    /// The parameters (components as `name[c]`) the check is about; empty for dataset-wide checks.
    public var parameters: [String]
    /// The unit of observation: `frame`, `episode`, `item` (pooled items of a repeated parameter), `file`
    /// or `dataset`.
    public var level: String
    /// Observations tested.
    public var n: Int
    public var statistic: Double?
    public var pValue: Double?
    /// Holm-adjusted p-value, for checks in the family of distribution and independence tests.
    public var holmPValue: Double?
    public var effectSize: Double?
    /// Whether the check belongs to the Holm-corrected family.
    public var inFamily: Bool
    public var verdict: AuditVerdict
    /// What was tested and, for a failure or a skip, why.
    public var message: String

    public init(id: String, kind: String, parameters: [String], level: String, n: Int, statistic: Double? = nil,
                pValue: Double? = nil, holmPValue: Double? = nil, effectSize: Double? = nil, inFamily: Bool = false,
                verdict: AuditVerdict, message: String) {
        self.id = id; self.kind = kind; self.parameters = parameters; self.level = level; self.n = n
        self.statistic = statistic; self.pValue = pValue; self.holmPValue = holmPValue; self.effectSize = effectSize
        self.inFamily = inFamily; self.verdict = verdict; self.message = message
    }
}

/// The result of `Auditor.audit(directory:alpha:)`.
public struct AuditReport: Sendable {
    public var directory: String
    public var alpha: Double
    /// Lines of randomization.jsonl.
    public var frames: Int
    public var episodes: Int
    public var frameRange: Range<Int>
    /// Whether image files were found (and the image checks ran).
    public var images: Bool
    /// Frames whose images were decoded for the pixel and seed-bug checks.
    public var imageFrames: Int
    /// Number of tests in the Holm family.
    public var familySize: Int
    public var checks: [AuditCheck]
    public var seconds: Double

    /// True when no check failed.
    public var passed: Bool { !checks.contains { $0.verdict == .fail } }
    /// 0 when every check passed, 1 when one failed.
    public var exitCode: Int32 { passed ? 0 : 1 }
    public var failures: [AuditCheck] { checks.filter { $0.verdict == .fail } }

    public func check(_ id: String) -> AuditCheck? { checks.first { $0.id == id } }

    func count(_ v: AuditVerdict) -> Int { checks.filter { $0.verdict == v }.count }

    /// Deterministic JSON (see docs/FORMATS.md "audit --json").
    public func json() -> String {
        func num(_ x: Double?) -> String { x.map { $0.isFinite ? JSONText.number($0) : "null" } ?? "null" }
        let list = checks.map { c in
            JSONText.object([
                ("id", JSONText.string(c.id)), ("kind", JSONText.string(c.kind)),
                ("parameters", "[" + c.parameters.map(JSONText.string).joined(separator: ",") + "]"),
                ("level", JSONText.string(c.level)), ("n", String(c.n)),
                ("statistic", num(c.statistic)), ("pValue", num(c.pValue)), ("holmPValue", num(c.holmPValue)),
                ("effectSize", num(c.effectSize)), ("inFamily", c.inFamily ? "true" : "false"),
                ("verdict", JSONText.string(c.verdict.rawValue)), ("message", JSONText.string(c.message)),
            ])
        }
        return JSONText.object([
            ("directory", JSONText.string(directory)), ("alpha", JSONText.number(alpha)),
            ("passed", passed ? "true" : "false"),
            ("frames", String(frames)), ("episodes", String(episodes)),
            ("frameRange", "[\(frameRange.lowerBound),\(frameRange.upperBound)]"),
            ("images", images ? "true" : "false"), ("imageFrames", String(imageFrames)),
            ("familySize", String(familySize)),
            ("counts", JSONText.object([("pass", String(count(.pass))), ("fail", String(count(.fail))),
                                        ("skipped", String(count(.skipped)))])),
            ("failures", "[" + failures.map { JSONText.string($0.id) }.joined(separator: ",") + "]"),
            ("checks", "[\n" + list.joined(separator: ",\n") + "\n]"),
        ])
    }

    /// A Markdown report: a summary, the failures, then one table row per check (passing pairwise
    /// independence tests are summarized in one row; `--json` lists each).
    public func markdown() -> String {
        func cell(_ x: Double?) -> String { x.map { fmtP($0) } ?? "" }
        func esc(_ s: String) -> String { s.replacingOccurrences(of: "|", with: "\\|") }
        var out = "# Audit of \(directory)\n\n"
        out += passed ? "**PASS**" : "**FAIL**"
        out += ": \(count(.fail)) failed, \(count(.pass)) passed, \(count(.skipped)) skipped of \(checks.count) checks; "
        out += "\(frames) frames, \(episodes) episodes, frame_range [\(frameRange.lowerBound), \(frameRange.upperBound)); "
        out += "α = \(fmt(alpha)), Holm-corrected over \(familySize) tests"
        out += images ? "; images decoded for \(imageFrames) frames.\n" : "; no images.\n"
        if !passed {
            out += "\n## Failures\n\n"
            for c in failures {
                out += "- `\(c.id)`" + (c.parameters.isEmpty ? "" : " (\(c.parameters.joined(separator: ", ")))") + ": \(esc(c.message))\n"
            }
        }
        out += "\n## Checks\n\n| check | parameter | level | n | statistic | p | Holm p | effect | verdict | note |\n"
        out += "|---|---|---|---:|---:|---:|---:|---:|---|---|\n"
        let pairs = checks.filter { $0.kind == "independence" && $0.verdict == .pass }
        for c in checks where !(c.kind == "independence" && c.verdict == .pass) {
            let verdict = c.verdict == .fail ? "**FAIL**" : c.verdict.rawValue
            out += "| \(c.kind) | \(esc(c.parameters.joined(separator: " ~ "))) | \(c.level) | \(c.n) | \(cell(c.statistic)) | "
            out += "\(cell(c.pValue)) | \(cell(c.holmPValue)) | \(cell(c.effectSize)) | \(verdict) | \(esc(c.message)) |\n"
        }
        if !pairs.isEmpty {
            let largest = pairs.max { abs($0.statistic ?? 0) < abs($1.statistic ?? 0) }!
            let smallest = pairs.compactMap(\.holmPValue).min() ?? 1
            out += "| independence | \(pairs.count) passing pairs | frame/episode | | max abs ρ \(fmtP(abs(largest.statistic ?? 0))) | | "
            out += "min \(fmtP(smallest)) | | pass | largest: \(esc(largest.parameters.joined(separator: " ~ "))) |\n"
        }
        out += String(format: "\nAudit took %.2f s.\n", seconds)
        return out
    }
}

func fmtP(_ x: Double) -> String {
    if !x.isFinite { return x.isNaN ? "nan" : (x > 0 ? "inf" : "-inf") }
    if x == 0 { return "0" }
    if abs(x) >= 1e-3 && abs(x) < 1e5 { return String(format: "%.4g", x) }
    return String(format: "%.2e", x)
}
