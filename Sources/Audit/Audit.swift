// Audit: checks a SynthBench dataset directory against what its manifest declares.
//
// Entry point: `Auditor.audit(directory:alpha:)` → `AuditReport` (Markdown via `markdown()`, JSON via `json()`,
// documented in docs/FORMATS.md "audit --json"). Bad input (missing or malformed files) throws
// `InputError`, naming the file and, for the log, the line and column.
//
// How it works:
// 1. `DatasetSpec.read` reads manifest.json through DatasetFormat's `ManifestDocument`: the declared parameters (scope, shape, distribution, domain),
//    image size, episode length, frame_range, the depth unit.
// 2. `LogScan` streams randomization.jsonl with `LineReader` and COCO's `JSONLineCursor`; it keeps one numeric
//    column per parameter component (episode-scope values once per episode; items of repeated parameters
//    pooled per component), frame ids, a 64-bit hash per frame and per episode, one of each episode's
//    content parameters (its layout, `Layouts`), and counters. Memory is
//    the columns the tests must sort, nothing per line beyond that.
// 3. `ParameterChecks`: per parameter the value problems (null, out of range, shape, changes within an
//    episode), a declared constant that is not constant, a randomized parameter that never changes, and per
//    component Kolmogorov–Smirnov + Anderson–Darling (continuous) or chi-square (integer, categorical), plus
//    Spearman independence between the components of a vector.
// 4. `Independence`: Spearman between every pair of scalar columns (each ranked once).
// 5. `ImageChecks` (when images exist): files against the log, sizes against COCO and the config (swapped
//    width/height), bit depths, the depth unit and plausibility of depth values, clipped RGB, and whether
//    light intensity, background colour, camera noise and object scale reach the pixels.
// 6. The p-values of the goodness-of-fit and independence tests form one family, Holm-corrected at α.
//    Deterministic checks fail on any violation; pixel checks pass when their one-sided test is significant
//    at α (their failure is the absence of an effect, so they stay outside the family).
import DatasetFormat
import Foundation
import Randomization
import Stats
import Support

/// Settings of an audit.
public struct AuditOptions: Sendable {
    /// Family-wise error rate of the Holm-corrected family, and the level of each pixel check.
    public var alpha: Double
    /// At most this many frames (evenly spaced over the log) are decoded for the image checks.
    public var maxImageFrames: Int

    public init(alpha: Double = 0.01, maxImageFrames: Int = 400) {
        self.alpha = alpha; self.maxImageFrames = maxImageFrames
    }
}

/// Audits dataset directories (see docs/FORMATS.md).
public enum Auditor {
    /// Audits `directory` at family-wise level `alpha`.
    public static func audit(directory: String, alpha: Double = 0.01) throws -> AuditReport {
        try audit(directory: directory, options: AuditOptions(alpha: alpha))
    }

    public static func audit(directory: String, options: AuditOptions) throws -> AuditReport {
        let start = Date()
        guard options.alpha > 0 && options.alpha < 1 else {
            throw InputError(file: "--alpha", message: "must be in (0, 1) (got \(options.alpha))")
        }
        guard FileIO.isDirectory(directory) else { throw InputError(file: directory, message: "not a directory") }
        let spec = try DatasetSpec.read(directory: directory)
        let scan = LogScan(spec: spec)
        try scan.run()

        var checks: [AuditCheck] = []
        checks.append(contentsOf: logChecks(scan))
        ParameterChecks.run(scan, into: &checks)
        Independence.run(scan, into: &checks)
        let images = try ImageChecks.run(scan, alpha: options.alpha, maxFrames: options.maxImageFrames, into: &checks)

        // Holm over the family.
        let family = checks.indices.filter { checks[$0].inFamily && checks[$0].pValue != nil }
        if !family.isEmpty {
            let adjusted = try Stats.holmAdjusted(family.map { checks[$0].pValue! })
            for (k, i) in family.enumerated() {
                checks[i].holmPValue = adjusted[k]
                if adjusted[k] <= options.alpha {
                    checks[i].verdict = .fail
                    checks[i].message += "; rejected at family-wise α = \(fmt(options.alpha)) (Holm)"
                }
            }
        }
        return AuditReport(directory: directory, alpha: options.alpha, frames: scan.lines, episodes: scan.episodeIds.count,
                           frameRange: spec.frameRange, images: images.images, imageFrames: images.decoded,
                           familySize: family.count, checks: checks, seconds: Date().timeIntervalSince(start))
    }

    /// Frame ids against frame_range, episode/step bookkeeping, duplicated frames.
    static func logChecks(_ scan: LogScan) -> [AuditCheck] {
        let spec = scan.spec
        var out: [AuditCheck] = []
        var problems: [String] = []
        let missing = scan.missingFromRange
        if missing > 0 { problems.append("\(missing) frames of frame_range [\(spec.frameRange.lowerBound), \(spec.frameRange.upperBound)) missing from the log") }
        if scan.outsideRange > 0 { problems.append("\(scan.outsideRange) lines name frames outside frame_range") }
        if scan.repeatedIds > 0 { problems.append("\(scan.repeatedIds) lines repeat a frame_id") }
        if scan.outOfOrder > 0 { problems.append("\(scan.outOfOrder) lines out of frame order") }
        if !scan.idNotes.isEmpty && !problems.isEmpty { problems.append("(" + scan.idNotes.joined(separator: "; ") + ")") }
        out.append(AuditCheck(id: "frames", kind: "frames", parameters: [], level: "frame", n: scan.lines,
                              statistic: Double(missing + scan.outsideRange + scan.repeatedIds + scan.outOfOrder),
                              verdict: problems.isEmpty ? .pass : .fail,
                              message: problems.isEmpty ? "one line per frame of frame_range [\(spec.frameRange.lowerBound), \(spec.frameRange.upperBound)), in order"
                                                        : problems.joined(separator: "; ")))
        let book = scan.wrongEpisode + scan.wrongStep
        out.append(AuditCheck(id: "episodes", kind: "episodes", parameters: [], level: "frame", n: scan.lines, statistic: Double(book),
                              verdict: book == 0 ? .pass : .fail,
                              message: book == 0 ? "episode = frame_id / \(spec.framesPerEpisode) and step = (index + 1) · \(spec.renderEvery) on every line"
                                                 : "\(scan.wrongEpisode) wrong episode numbers, \(scan.wrongStep) wrong steps (" + scan.bookkeepingNotes.joined(separator: "; ") + ")"))

        // Duplicates: with a continuous randomized parameter, two identical parameter vectors are (almost surely)
        // a bug — a frame drawn twice, or episodes seeded alike.
        for level in [Scope.frame, .episode] {
            let id = level == .frame ? "duplicates:frames" : "duplicates:episodes"
            let continuous = scan.params.contains { $0.spec.distribution.isContinuous && (level == .frame || $0.spec.scope == .episode) }
            let hashes = level == .frame ? scan.frameHashes : scan.episodeHashes
            let what = level == .frame ? "frames share the full parameter vector" : "episodes share their episode-scope parameters"
            guard continuous else {
                out.append(AuditCheck(id: id, kind: "duplicates", parameters: [], level: level.rawValue, n: hashes.count,
                                      verdict: .skipped, message: "no continuous randomized parameter: identical values are possible by chance"))
                continue
            }
            var sorted = hashes
            sorted.sort()
            var dup = 0
            for i in sorted.indices.dropFirst() where sorted[i] == sorted[i - 1] { dup += 1 }
            var example = ""
            if dup > 0 {
                var firstRow: [UInt64: Int] = [:]
                for (i, h) in hashes.enumerated() {
                    if let j = firstRow[h] {
                        let ids = level == .frame ? scan.frameIds : scan.episodeIds
                        example = " (e.g. \(level.rawValue)s \(ids[j]) and \(ids[i]))"
                        break
                    }
                    firstRow[h] = i
                }
            }
            out.append(AuditCheck(id: id, kind: "duplicates", parameters: [], level: level.rawValue, n: hashes.count,
                                  statistic: Double(dup), verdict: dup == 0 ? .pass : .fail,
                                  message: dup == 0 ? "no two \(what)"
                                                    : "\(dup) \(level.rawValue)s repeat the values of an earlier one\(example)"))
        }
        // Layouts: far fewer distinct scenes than episodes (every episode the same drop) is a degenerate dataset.
        out.append(Layouts.check(scan))
        if !scan.undeclared.isEmpty {
            out.append(AuditCheck(id: "undeclared", kind: "undeclared", parameters: scan.undeclared.sorted(), level: "frame",
                                  n: scan.undeclared.count, verdict: .skipped,
                                  message: "logged but not declared in manifest.json, so not audited: \(scan.undeclared.sorted().joined(separator: ", "))"))
        }
        return out
    }
}
