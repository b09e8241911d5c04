import Foundation

// The text `synthbench eval` and `synthbench validate` print (their JSON is in EvalReport and Finding).

extension EvalResult {
    /// What `synthbench eval` prints without `--json`: the counts, pycocotools' 12 summary lines, AP, AP50, AP75 and
    /// AR100 per category (-1 where a category has no ground truth), and with `scoreThreshold` the precision and
    /// recall at IoU 0.5 of the detections scoring at least that.
    public func text(iouType: IoUType, scoreThreshold: Double?) -> String {
        func fmt(_ x: Double) -> String { x == -1 ? "-1" : String(format: "%.4f", x) }
        var lines = ["iouType=\(iouType.rawValue): \(imageIds.count) images, \(categoryIds.count) categories, \(groundTruthCount) ground truths, \(detectionCount) detections"]
        lines += summaryLines
        lines.append("per category (AP, AP50, AP75, AR100; -1 = no ground truth):")
        for r in categoryRows() {
            lines.append("  \(r.id) \(r.name): \(fmt(r.ap)) \(fmt(r.ap50)) \(fmt(r.ap75)) \(fmt(r.ar100))")
        }
        if let t = scoreThreshold {
            let s = atScoreThreshold(t)
            lines.append("score >= \(t) at IoU 0.5: precision \(fmt(s.precision)), recall \(fmt(s.recall)) (TP \(s.truePositives), FP \(s.falsePositives), GT \(s.groundTruths))")
        }
        return lines.map { $0 + "\n" }.joined()
    }
}

extension ValidationReport {
    /// What `synthbench validate` prints without `--json`: every finding shown, a count line per code with more
    /// findings than shown, and the verdict.
    public func text(strict: Bool) -> String {
        var lines: [String] = []
        var shown: [FindingCode: Int] = [:]
        for f in findings {
            lines.append("\(file): " + f.text)
            shown[f.code, default: 0] += 1
        }
        for c in codes where counts[c]! > shown[c, default: 0] {
            lines.append("\(file): \(c.severity.rawValue): \(c.rawValue): … and \(counts[c]! - shown[c, default: 0]) more")
        }
        let what = kind == .results
            ? "\(detections) detections"
            : "\(images) images, \(annotations) annotations, \(categories) categories"
        let verdict = exitCode(strict: strict) == 0 ? "valid" : "INVALID"
        lines.append("\(file): \(verdict) (\(kind.rawValue): \(what)); \(errorCount) errors, \(warningCount) warnings")
        return lines.map { $0 + "\n" }.joined()
    }
}

extension FindingCode {
    /// Every finding code with its severity and summary, one per line (`synthbench validate --list-codes`).
    public static var table: String {
        allCases.map {
            "\($0.rawValue.padding(toLength: 26, withPad: " ", startingAt: 0)) \($0.severity.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)) \($0.summary)\n"
        }.joined()
    }
}
