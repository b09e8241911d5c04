import Foundation
import Support

/// Number formatting shared by the reports.
public enum GradeFormat {
    /// Up to `digits` decimals, trailing zeros dropped; thousands as plain digits.
    /// Below 1, enough decimals for three significant digits.
    public static func number(_ x: Double, digits: Int = 2) -> String {
        guard x.isFinite else { return x.isNaN ? "n/a" : (x > 0 ? "∞" : "−∞") }
        if x == x.rounded() && abs(x) < 1e15 { return String(Int64(x)) }
        var d = digits
        if abs(x) < 1 { d = max(digits, min(12, Int((-log10(abs(x))).rounded(.down)) + 3)) }
        var s = String(format: "%.\(d)f", x)
        if s.contains(".") {
            while s.hasSuffix("0") { s.removeLast() }
            if s.hasSuffix(".") { s.removeLast() }
        }
        return s == "-0" ? "0" : s
    }

    public static func p(_ x: Double) -> String { x < 0.0001 ? String(format: "%.1e", x) : String(format: "%.4f", x) }

    public static func hours(_ seconds: Double) -> String {
        seconds >= 3600 ? "\(number(seconds / 3600, digits: 2)) h" : "\(number(seconds, digits: 1)) s"
    }
}

/// The reports of graded submissions: Markdown, JSON, JUnit XML, an HTML page with SVG training curves,
/// and a class summary (CSV and Markdown).
public enum GradeReport {
    // MARK: Markdown

    static func verdictLabel(_ r: CheckResult) -> String {
        var s: String
        switch r.verdict {
        case .pass: s = "PASS"
        case .fail: s = r.check.required ? "FAIL" : "fail (optional)"
        case .notAttempted: s = "not attempted"
        case .unavailable: s = "unavailable"
        }
        if r.discrepancy { s += " · DISCREPANCY" }
        return s
    }

    static func cell(_ s: String) -> String {
        s.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }

    static func valueText(_ v: Double?, _ unit: String) -> String {
        guard let v else { return "—" }
        return unit.isEmpty ? GradeFormat.number(v) : "\(GradeFormat.number(v)) \(unit)"
    }

    public static func markdown(_ g: SubmissionGrade) -> String {
        var s = "# Grade: \(g.student)\n\n"
        s += "Submission `\(g.directory)`, rubric `\(g.rubric)`.\n\n"
        if g.status == .malformed {
            s += "**Malformed submission** (exit 2): \(g.error ?? "")\n\nNo check was graded.\n"
            return s
        }
        let failed = g.failedRequired.count
        s += "**\(failed == 0 ? "All required checks pass" : "\(failed) required check\(failed == 1 ? "" : "s") failed")**: "
        s += "\(g.count(.pass)) pass, \(g.count(.fail)) fail, \(g.count(.notAttempted)) not attempted, \(g.count(.unavailable)) unavailable; "
        s += "\(g.discrepancies) discrepanc\(g.discrepancies == 1 ? "y" : "ies") between reported and recomputed numbers"
        s += g.strict ? " (strict: discrepancies fail).\n\n" : ".\n\n"
        s += "| check | computed | reported | threshold | verdict | evidence |\n|---|---|---|---|---|---|\n"
        for r in g.checks {
            var evidence = r.evidence
            if !r.reason.isEmpty { evidence.insert(r.reason, at: 0) }
            let reported = r.reported.map { GradeFormat.number($0) + (r.discrepancy ? " ⚠" : "") } ?? "—"
            s += "| `\(r.check.id)` \(cell(r.check.title)) | \(valueText(r.computed, r.check.metric.unit)) | \(reported) | \(cell(r.check.thresholdText))"
            if let a = r.check.alpha { s += ", α = \(GradeFormat.number(a))" }
            s += " | \(verdictLabel(r)) | \(cell(evidence.joined(separator: "; "))) |\n"
        }
        if !g.accuracies.isEmpty {
            s += "\n## Model accuracy (recomputed: \(g.rubric) accuracy from the detections)\n\n"
            s += "| model | test set | computed | reported | detections | images |\n|---|---|---|---|---|---|\n"
            for a in g.accuracies {
                let rep = a.reported.map { GradeFormat.number($0) + (a.discrepancy ? " ⚠ discrepancy" : "") } ?? "—"
                s += "| \(a.model) | \(a.testSet) | \(GradeFormat.number(a.computed)) | \(rep) | \(a.detections) | \(a.images) |\n"
            }
        }
        if !g.datasets.isEmpty {
            s += "\n## Datasets (measured on disk)\n\n"
            s += "| dataset | frames on disk | manifest frames | GB on disk | validate errors | audit | seed-code bugs |\n|---|---|---|---|---|---|---|\n"
            for d in g.datasets {
                let bugs = d.bugs.isEmpty ? "none" : d.bugs.map(\.kind.title).joined(separator: ", ")
                s += "| \(d.key) | \(d.framesOnDisk) | \(d.manifestFrames.map(String.init) ?? "—") | \(GradeFormat.number(Double(d.bytesOnDisk) / 1e9, digits: 4)) | \(d.validationErrors) | \(d.audit.status.rawValue) | \(bugs) |\n"
            }
            for d in g.datasets where !d.manifestMismatches.isEmpty {
                s += "\n\(d.key): \(d.manifestMismatches.count) manifest entries disagree with the disk (first: \(d.manifestMismatches[0])).\n"
            }
        }
        if !g.bugs.isEmpty {
            s += "\n## Seed-code bugs found\n\n"
            for b in g.bugs { s += "- **\(b.kind.title)** in `\(b.dataset)`: \(b.evidence)\n" }
        }
        if !g.notes.isEmpty {
            s += "\n## Notes\n\n"
            for n in g.notes { s += "- \(n)\n" }
        }
        if !g.curves.isEmpty { s += "\nTraining curves: see curves.html.\n" }
        return s
    }

    // MARK: JSON

    static func num(_ v: Double?) -> String { v.map(JSONText.number) ?? "null" }
    static func str(_ s: String?) -> String { s.map(JSONText.string) ?? "null" }

    public static func json(_ g: SubmissionGrade) -> String {
        var fields: [(String, String)] = [
            ("student", str(g.student)), ("directory", str(g.directory)), ("rubric", str(g.rubric)),
            ("status", str(g.status.rawValue)), ("exit_code", String(g.exitCode)), ("error", str(g.error)),
        ]
        if g.status == .graded {
            fields.append(("summary", JSONText.object([
                ("pass", String(g.count(.pass))), ("fail", String(g.count(.fail))),
                ("not_attempted", String(g.count(.notAttempted))), ("unavailable", String(g.count(.unavailable))),
                ("required_failed", String(g.failedRequired.count)), ("discrepancies", String(g.discrepancies)),
            ])))
            fields.append(("checks", "[" + g.checks.map(checkJSON).joined(separator: ",") + "]"))
            fields.append(("accuracies", "[" + g.accuracies.map { a in
                JSONText.object([("model", str(a.model)), ("test_set", str(a.testSet)), ("computed", num(a.computed)),
                                 ("reported", num(a.reported)), ("discrepancy", a.discrepancy ? "true" : "false"),
                                 ("detections", String(a.detections)), ("images", String(a.images))])
            }.joined(separator: ",") + "]"))
            fields.append(("datasets", "[" + g.datasets.map(datasetJSON).joined(separator: ",") + "]"))
            fields.append(("seed_bugs", "[" + g.bugs.map { b in
                JSONText.object([("kind", str(b.kind.rawValue)), ("dataset", str(b.dataset)), ("evidence", str(b.evidence))])
            }.joined(separator: ",") + "]"))
            fields.append(("notes", "[" + g.notes.map(JSONText.string).joined(separator: ",") + "]"))
        }
        return JSONText.object(fields)
    }

    static func checkJSON(_ r: CheckResult) -> String {
        let c = r.check
        var threshold: String
        switch c.threshold {
        case .value(let v): threshold = JSONText.number(v)
        case .range(let lo, let hi): threshold = JSONText.array([lo, hi])
        }
        var fields: [(String, String)] = [
            ("id", str(c.id)), ("exercise", str(c.exercise)), ("title", str(c.title)), ("metric", str(c.metric.rawValue)),
            ("unit", str(c.metric.unit)), ("comparator", str(c.comparator.rawValue)), ("threshold", threshold),
            ("required", c.required ? "true" : "false"), ("verdict", str(r.verdict.rawValue)),
            ("computed", num(r.computed)), ("reported", num(r.reported)), ("discrepancy", r.discrepancy ? "true" : "false"),
            ("tolerance", JSONText.object([("absolute", JSONText.number(c.tolerance.absolute)), ("relative", JSONText.number(c.tolerance.relative))])),
            ("reason", str(r.reason)), ("evidence", "[" + r.evidence.map(JSONText.string).joined(separator: ",") + "]"),
        ]
        if let e = c.expected { fields.append(("expected", JSONText.array([e.lowerBound, e.upperBound]))) }
        if let s = r.statistics {
            var st: [(String, String)] = [("test", str(s.test.rawValue)), ("resamples", String(s.resamples)),
                                          ("confidence", JSONText.number(s.confidence)), ("alpha", num(s.alpha)),
                                          ("low", num(s.low)), ("high", num(s.high))]
            st.append(("comparisons", "[" + s.comparisons.map { k in
                JSONText.object([("against", str(k.against)), ("estimate", num(k.estimate)), ("low", num(k.low)),
                                 ("high", num(k.high)), ("p_value", num(k.pValue)), ("holm_p_value", num(k.adjustedPValue)),
                                 ("significant", k.significant ? "true" : "false")])
            }.joined(separator: ",") + "]"))
            fields.append(("statistics", JSONText.object(st)))
        }
        return JSONText.object(fields)
    }

    static func datasetJSON(_ d: DatasetFacts) -> String {
        JSONText.object([
            ("key", str(d.key)), ("frames_on_disk", String(d.framesOnDisk)), ("annotated_images", String(d.annotatedImages)),
            ("rgb_files", String(d.rgbFiles)), ("manifest_frames", d.manifestFrames.map(String.init) ?? "null"),
            ("bytes_on_disk", String(d.bytesOnDisk)), ("files_on_disk", String(d.filesOnDisk)),
            ("manifest_bytes", d.manifestBytes.map(String.init) ?? "null"),
            ("run_seconds", num(d.runSeconds)), ("run_envs", d.runEnvs.map(String.init) ?? "null"),
            ("write_span_seconds", num(d.writeSpanSeconds)), ("depth_unit", str(d.depthUnit)),
            ("validation_errors", String(d.validationErrors)), ("validation_warnings", String(d.validationWarnings)),
            ("validation_codes", JSONText.object(d.validationCodes.sorted { $0.key < $1.key }.map { ($0.key, String($0.value)) })),
            ("manifest_mismatches", "[" + d.manifestMismatches.map(JSONText.string).joined(separator: ",") + "]"),
            ("hashes_checked", String(d.hashesChecked)),
            ("audit", JSONText.object([("status", str(d.audit.status.rawValue)), ("failed_checks", String(d.audit.failedChecks)),
                                       ("total_checks", String(d.audit.totalChecks)), ("detail", str(d.audit.detail))])),
            ("notes", "[" + d.notes.map(JSONText.string).joined(separator: ",") + "]"),
        ])
    }

    /// Several submissions: `{"rubric": ..., "submissions": [...], "exit_code": n}`.
    public static func json(_ grades: [SubmissionGrade], rubric: String) -> String {
        JSONText.object([("rubric", str(rubric)), ("exit_code", String(grades.map(\.exitCode).max() ?? 0)),
                         ("submissions", "[" + grades.map { json($0) }.joined(separator: ",") + "]")])
    }

    // MARK: JUnit

    static func xml(_ s: String) -> String {
        var out = ""
        for u in s.unicodeScalars {
            switch u {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default:
                if u.value < 0x20 && u != "\n" && u != "\t" { out += " " } else { out.unicodeScalars.append(u) }
            }
        }
        return out
    }

    static func testsuite(_ g: SubmissionGrade) -> String {
        let name = xml(g.student)
        if g.status == .malformed {
            return "  <testsuite name=\"\(name)\" tests=\"1\" failures=\"0\" errors=\"1\" skipped=\"0\">\n"
                + "    <testcase classname=\"\(xml(g.rubric)).submission\" name=\"submission.yaml\">\n"
                + "      <error message=\"malformed submission\">\(xml(g.error ?? ""))</error>\n    </testcase>\n  </testsuite>\n"
        }
        let failures = g.checks.filter { $0.verdict == .fail }.count
        let skipped = g.checks.filter { $0.verdict == .notAttempted || $0.verdict == .unavailable }.count
        var s = "  <testsuite name=\"\(name)\" tests=\"\(g.checks.count)\" failures=\"\(failures)\" errors=\"0\" skipped=\"\(skipped)\">\n"
        for r in g.checks {
            s += "    <testcase classname=\"\(xml(g.rubric)).\(xml(r.check.exercise))\" name=\"\(xml(r.check.id))\">\n"
            s += "      <properties>\n"
            s += "        <property name=\"computed\" value=\"\(r.computed.map { GradeFormat.number($0, digits: 4) } ?? "")\"/>\n"
            s += "        <property name=\"reported\" value=\"\(r.reported.map { GradeFormat.number($0, digits: 4) } ?? "")\"/>\n"
            s += "        <property name=\"threshold\" value=\"\(xml(r.check.thresholdText))\"/>\n"
            s += "        <property name=\"discrepancy\" value=\"\(r.discrepancy)\"/>\n"
            s += "      </properties>\n"
            switch r.verdict {
            case .fail:
                s += "      <failure message=\"\(xml(r.reason))\"\(r.check.required ? "" : " type=\"optional\"")>\(xml(r.evidence.joined(separator: "\n")))</failure>\n"
            case .notAttempted, .unavailable:
                s += "      <skipped message=\"\(xml(r.reason))\"/>\n"
            case .pass: break
            }
            var out = r.evidence
            if r.discrepancy { out.insert("DISCREPANCY: reported \(GradeFormat.number(r.reported ?? .nan)), recomputed \(GradeFormat.number(r.computed ?? .nan))", at: 0) }
            if !out.isEmpty { s += "      <system-out>\(xml(out.joined(separator: "\n")))</system-out>\n" }
            s += "    </testcase>\n"
        }
        return s + "  </testsuite>\n"
    }

    /// JUnit XML: one testsuite per submission, one testcase per check.
    public static func junit(_ grades: [SubmissionGrade]) -> String {
        let tests = grades.reduce(0) { $0 + ($1.status == .malformed ? 1 : $1.checks.count) }
        let failures = grades.reduce(0) { $0 + $1.checks.filter { $0.verdict == .fail }.count }
        let errors = grades.filter { $0.status == .malformed }.count
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"synthbench grade\" tests=\"\(tests)\" failures=\"\(failures)\" errors=\"\(errors)\">\n"
            + grades.map(testsuite).joined() + "</testsuites>\n"
    }

    // MARK: HTML + SVG curves

    /// An SVG line chart of held-out metric (points) against wall hours, one line per log.
    public static func curvesSVG(_ curves: [TrainingCurve], width: Int = 640, height: Int = 360) -> String {
        let left = 56.0, right = 16.0, top = 16.0, bottom = 44.0
        let W = Double(width), H = Double(height)
        let maxX = max(curves.flatMap { $0.log.rows.map { $0.wallSeconds / 3600 } }.max() ?? 1, 1e-9)
        let maxY = 100.0
        func x(_ v: Double) -> Double { left + v / maxX * (W - left - right) }
        func y(_ v: Double) -> Double { H - bottom - v / maxY * (H - top - bottom) }
        let colors = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"]
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\" viewBox=\"0 0 \(width) \(height)\" font-family=\"sans-serif\" font-size=\"11\">\n"
        s += "<rect x=\"0\" y=\"0\" width=\"\(width)\" height=\"\(height)\" fill=\"white\"/>\n"
        for i in 0...5 {
            let v = Double(i) * 20, yy = y(v)
            s += "<line x1=\"\(f(left))\" y1=\"\(f(yy))\" x2=\"\(f(W - right))\" y2=\"\(f(yy))\" stroke=\"#ddd\"/>"
            s += "<text x=\"\(f(left - 6))\" y=\"\(f(yy + 4))\" text-anchor=\"end\">\(Int(v))</text>\n"
        }
        for i in 0...4 {
            let v = maxX * Double(i) / 4, xx = x(v)
            s += "<text x=\"\(f(xx))\" y=\"\(f(H - bottom + 16))\" text-anchor=\"middle\">\(GradeFormat.number(v, digits: 2))</text>\n"
        }
        s += "<line x1=\"\(f(left))\" y1=\"\(f(H - bottom))\" x2=\"\(f(W - right))\" y2=\"\(f(H - bottom))\" stroke=\"black\"/>"
        s += "<line x1=\"\(f(left))\" y1=\"\(f(top))\" x2=\"\(f(left))\" y2=\"\(f(H - bottom))\" stroke=\"black\"/>\n"
        s += "<text x=\"\(f((left + W - right) / 2))\" y=\"\(f(H - 8))\" text-anchor=\"middle\">wall time (hours)</text>\n"
        s += "<text x=\"14\" y=\"\(f((top + H - bottom) / 2))\" text-anchor=\"middle\" transform=\"rotate(-90 14 \(f((top + H - bottom) / 2)))\">held-out metric (points)</text>\n"
        for (i, c) in curves.enumerated() {
            let color = colors[i % colors.count]
            let pts = c.log.rows.map { "\(f(x($0.wallSeconds / 3600))),\(f(y($0.metric * 100)))" }.joined(separator: " ")
            s += "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\" points=\"\(pts)\"><title>\(xml(c.model))</title></polyline>\n"
            for r in c.log.rows {
                s += "<circle cx=\"\(f(x(r.wallSeconds / 3600)))\" cy=\"\(f(y(r.metric * 100)))\" r=\"2.5\" fill=\"\(color)\"/>"
            }
            s += "\n<text x=\"\(f(left + 10))\" y=\"\(f(top + 14 + Double(i) * 14))\" fill=\"\(color)\">\(xml(c.model))</text>\n"
        }
        return s + "</svg>\n"
    }

    static func f(_ v: Double) -> String { String(format: "%.1f", v) }

    /// HTML page: the check table and the training curves (all models in one chart, then one chart each).
    public static func html(_ g: SubmissionGrade) -> String {
        var s = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Grade: \(xml(g.student))</title>\n"
        s += "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;vertical-align:top}.pass{color:#060}.fail{color:#b00}</style></head><body>\n"
        s += "<h1>Grade: \(xml(g.student))</h1>\n<p>Rubric <code>\(xml(g.rubric))</code>, submission <code>\(xml(g.directory))</code>.</p>\n"
        if g.status == .malformed {
            return s + "<p class=\"fail\"><b>Malformed submission:</b> \(xml(g.error ?? ""))</p></body></html>\n"
        }
        s += "<table><tr><th>check</th><th>computed</th><th>reported</th><th>threshold</th><th>verdict</th><th>evidence</th></tr>\n"
        for r in g.checks {
            let cls = r.verdict == .pass ? "pass" : (r.verdict == .fail ? "fail" : "")
            var ev = r.evidence
            if !r.reason.isEmpty { ev.insert(r.reason, at: 0) }
            s += "<tr><td><code>\(xml(r.check.id))</code><br>\(xml(r.check.title))</td><td>\(xml(valueText(r.computed, r.check.metric.unit)))</td>"
            s += "<td>\(xml(r.reported.map { GradeFormat.number($0) } ?? "—"))\(r.discrepancy ? " ⚠" : "")</td><td>\(xml(r.check.thresholdText))</td>"
            s += "<td class=\"\(cls)\">\(xml(verdictLabel(r)))</td><td>\(ev.map(xml).joined(separator: "<br>"))</td></tr>\n"
        }
        s += "</table>\n<h2>Training curves</h2>\n"
        if g.curves.isEmpty {
            s += "<p>No training log was submitted.</p>\n"
        } else {
            s += curvesSVG(g.curves)
            for c in g.curves {
                s += "<h3>\(xml(c.model))</h3>\n<p>\(c.log.rows.count) rows; final held-out metric \(GradeFormat.number(c.log.finalMetric * 100)) points after \(GradeFormat.hours(c.log.totalSeconds)), \(GradeFormat.number(c.log.rows.last!.imagesSeen)) images seen.</p>\n"
                s += curvesSVG([c], width: 480, height: 270)
            }
        }
        return s + "</body></html>\n"
    }

    // MARK: Class summary

    static func csvField(_ s: String) -> String {
        var t = s
        // Cells starting with a formula character are neutralized for spreadsheets.
        if let c = t.first, "=+-@".contains(c) { t = "'" + t }
        if t.contains(",") || t.contains("\"") || t.contains("\n") { return "\"" + t.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
        return t
    }

    public static func classCSV(_ grades: [SubmissionGrade], rubric: Rubric) -> String {
        var header = ["student", "directory", "status", "exit_code", "pass", "fail", "not_attempted", "unavailable", "discrepancies", "seed_bugs"]
        header += rubric.checks.map(\.id)
        var s = header.joined(separator: ",") + "\n"
        for g in grades {
            var row = [g.student, g.directory, g.status.rawValue, String(g.exitCode), String(g.count(.pass)), String(g.count(.fail)),
                       String(g.count(.notAttempted)), String(g.count(.unavailable)), String(g.discrepancies), String(g.bugs.count)]
            for c in rubric.checks {
                if let r = g.checks.first(where: { $0.check.id == c.id }) {
                    row.append(r.verdict.rawValue + (r.discrepancy ? "+discrepancy" : ""))
                } else {
                    row.append(g.status == .malformed ? "malformed" : "")
                }
            }
            s += row.map(csvField).joined(separator: ",") + "\n"
        }
        return s
    }

    public static func classMarkdown(_ grades: [SubmissionGrade], rubric: Rubric) -> String {
        var s = "# Class summary: rubric \(rubric.id)\n\n"
        let ok = grades.filter { $0.exitCode == 0 }.count
        let bad = grades.filter { $0.status == .malformed }.count
        s += "\(grades.count) submissions: \(ok) pass every required check, \(grades.count - ok - bad) fail one or more, \(bad) malformed.\n\n"
        s += "| student | status | pass | fail | discrepancies | seed bugs | failed checks |\n|---|---|---|---|---|---|---|\n"
        for g in grades {
            let failed = g.status == .malformed ? cell(g.error ?? "") : g.failedRequired.map { "`\($0.check.id)`" }.joined(separator: ", ")
            s += "| \(cell(g.student)) | \(g.status == .malformed ? "malformed" : (g.exitCode == 0 ? "pass" : "fail")) | \(g.count(.pass)) | \(g.count(.fail)) | \(g.discrepancies) | \(g.bugs.count) | \(failed) |\n"
        }
        s += "\n## Per check\n\n| check | pass | fail | not attempted | unavailable | discrepancies |\n|---|---|---|---|---|---|\n"
        for c in rubric.checks {
            let rs = grades.compactMap { g in g.checks.first { $0.check.id == c.id } }
            func n(_ v: Verdict) -> Int { rs.filter { $0.verdict == v }.count }
            s += "| `\(c.id)` | \(n(.pass)) | \(n(.fail)) | \(n(.notAttempted)) | \(n(.unavailable)) | \(rs.filter(\.discrepancy).count) |\n"
        }
        return s
    }
}
