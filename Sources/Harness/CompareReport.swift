import BenchFormat
import Foundation
import Support

/// `synthbench compare`: results of several hardware targets side by side, as Markdown and as one HTML page
/// with SVG bar charts (no scripts, no external files).
public struct CompareReport {
    public struct Input {
        public var file: String
        public var result: BenchResult
        public init(file: String, result: BenchResult) { self.file = file; self.result = result }
    }

    public let inputs: [Input]
    /// Column labels: the target names, made unique with the file name where two coincide.
    public let labels: [String]

    public init(_ inputs: [Input]) {
        self.inputs = inputs
        let targets = inputs.map(\.result.target)
        self.labels = targets.enumerated().map { i, t in
            targets.filter { $0 == t }.count > 1 ? "\(t) (\((inputs[i].file as NSString).lastPathComponent))" : t
        }
    }

    /// A table: a header row and rows of cells (first column = row label).
    struct Table {
        var title: String
        var header: [String]
        var rows: [[String]]
        var note: String?
    }

    var results: [BenchResult] { inputs.map(\.result) }

    var notes: [String] {
        var out: [String] = []
        if Set(results.map(\.run.configHash)).count > 1 {
            out.append("The targets ran different configs (" + zip(labels, results).map { "\($0): \($1.run.configSource)" }
                .joined(separator: ", ") + "): frames/hour are not comparable; ratios only roughly.")
        }
        if results.contains(where: { $0.run.build != "release" }) {
            out.append("Some results come from debug builds: their figures do not represent release performance.")
        }
        return out
    }

    func tables() -> [Table] {
        var tables: [Table] = []
        let r = results
        func row(_ label: String, _ f: (BenchResult) -> String) -> [String] { [label] + r.map(f) }
        tables.append(Table(title: "Machines", header: ["", ] + labels, rows: [
            row("CPU") { $0.machine.cpuModel }, row("cores") { String($0.machine.cores) },
            row("memory") { Format.bytes(Double($0.machine.memoryBytes)) }, row("arch") { $0.machine.arch },
            row("OS") { $0.machine.os }, row("kernel") { $0.machine.kernel },
            row("Swift (toolchain)") { $0.machine.swiftVersion }, row("compiler") { $0.machine.compiler },
            row("libpng / GSL / ODE") { "\($0.machine.libpng) / \($0.machine.gsl) / \($0.machine.ode)" },
            row("commit") { ($0.run.gitCommit.map { String($0.prefix(10)) } ?? "–") + ($0.run.gitDirty == true ? " (modified)" : "") },
            row("config") { "\($0.run.configSource), \($0.run.configHash.prefix(12))" },
            row("image") { "\($0.run.imageWidth)×\($0.run.imageHeight)" },
            row("frames × repeats") { "\($0.run.frames) × \($0.run.repeats)" },
            row("build") { $0.run.build }, row("date") { $0.created },
        ], note: nil))

        tables.append(Table(title: "Headline (reference cell: most lanes, most envs)", header: [""] + labels, rows: [
            row("reference cell") { "envs \($0.referenceCell.envs), lanes \($0.referenceCell.lanes)" },
            row("frames/hour") { res in res.cell(res.referenceCell).map { Self.ci($0.framesPerHour, grouped: true) } ?? "–" },
            row("encode ceiling frames/s") { Format.fixed($0.encodeCeiling.framesPerSecond, 1) },
            row("ratio to the ceiling") { "\(Format.fixed($0.encodeCeiling.ratio, 3)) [\(Format.fixed($0.encodeCeiling.ratioCILow, 3))–\(Format.fixed($0.encodeCeiling.ratioCIHigh, 3))]" },
            row("memory per env") { $0.memory.map { Format.bytes($0.bytesPerEnv) } ?? "–" },
            row("fixed memory") { $0.memory.map { Format.bytes($0.fixedBytes) } ?? "–" },
            row("memory fit R²") { $0.memory?.r2.map { Format.fixed($0, 4) } ?? "–" },
            row("lane efficiency (most lanes)") { $0.laneScaling.map { Format.percent($0.efficiency.last ?? .nan) } ?? "–" },
            row("… relative to the ceiling's scaling") { $0.laneScaling.map { Format.fixed($0.relativeEfficiency.last ?? .nan, 2) } ?? "–" },
            row("bytes per frame") { Format.bytes($0.extrapolations.bytesPerFrame) },
        ], note: "Ratios (generator ÷ encode ceiling on the same frames, in the same run) are what stays comparable across machines."))

        let keys = Self.union(r.map { $0.cells.map(\.key) })
        tables.append(Table(title: "Throughput per cell (frames/hour, median [95% CI])", header: ["envs, lanes"] + labels,
                            rows: keys.map { k in ["\(k.envs), \(k.lanes)"] + r.map { $0.cell(k).map { Self.ci($0.framesPerHour, grouped: true) } ?? "–" } },
                            note: nil))
        tables.append(Table(title: "Ratio to the encode ceiling per cell (median [95% CI])", header: ["envs, lanes"] + labels,
                            rows: keys.map { k in ["\(k.envs), \(k.lanes)"] + r.map { $0.cell(k).map { Self.ci($0.ratio, grouped: false) } ?? "–" } },
                            note: nil))

        let lanes = Array(Set(r.compactMap(\.laneScaling).flatMap(\.lanes))).sorted()
        if !lanes.isEmpty {
            tables.append(Table(title: "Lane scaling (speedup / efficiency / ceiling speedup / relative to the ceiling)",
                                header: ["lanes"] + labels, rows: lanes.map { l in
                ["\(l)"] + r.map { res in
                    guard let s = res.laneScaling, let i = s.lanes.firstIndex(of: l) else { return "–" }
                    return "\(Format.fixed(s.speedup[i], 2))× / \(Format.percent(s.efficiency[i])) / \(Format.fixed(s.ceilingSpeedup[i], 2))× / \(Format.fixed(s.relativeEfficiency[i], 2))"
                }
            }, note: nil))
        }
        let envs = Array(Set(r.compactMap(\.memory).flatMap(\.envs))).sorted()
        if !envs.isEmpty {
            tables.append(Table(title: "Peak RSS per environment count (child processes)", header: ["envs"] + labels, rows: envs.map { e in
                ["\(e)"] + r.map { res in
                    guard let m = res.memory, let i = m.envs.firstIndex(of: e) else { return "–" }
                    return Format.bytes(m.peakRSSBytes[i].median)
                }
            }, note: nil))
        }
        let names = r.first?.stages.names ?? []
        tables.append(Table(title: "Stage breakdown at the reference cell (lane-ms per frame, share)", header: ["stage"] + labels,
                            rows: names.map { n in
            [n] + r.map { "\(Format.fixed($0.stages.msPerFrame[n] ?? .nan, 2)) (\(Format.percent($0.stages.share[n] ?? .nan)))" }
        } + [row("wall ms per frame") { Format.fixed($0.stages.wallMsPerFrame, 2) }], note: nil))

        let objectiveNames = Self.unionStrings(r.map { $0.extrapolations.objectives.map(\.name) })
        tables.append(Table(title: "Objectives", header: ["objective"] + labels, rows: objectiveNames.map { name in
            let description = r.lazy.compactMap { $0.extrapolations.objectives.first { $0.name == name }?.description }.first ?? name
            return [description] + r.map { res in
                guard let o = res.extrapolations.objectives.first(where: { $0.name == name }) else { return "–" }
                let verdict = o.low == nil && o.high == nil ? "" : (o.pass ? " PASS" : " FAIL")
                return Format.objectiveValue(o) + verdict
            }
        }, note: nil))
        return tables
    }

    static func ci(_ s: Summary, grouped: Bool) -> String {
        let f: (Double) -> String = grouped ? Format.grouped : { Format.fixed($0, 3) }
        return "\(f(s.median)) [\(f(s.ciLow))–\(f(s.ciHigh))]"
    }

    static func union(_ lists: [[BenchResult.CellKey]]) -> [BenchResult.CellKey] {
        Array(Set(lists.flatMap { $0 })).sorted { ($0.lanes, $0.envs) < ($1.lanes, $1.envs) }
    }

    static func unionStrings(_ lists: [[String]]) -> [String] {
        var seen = Set<String>(), out: [String] = []
        for l in lists { for s in l where seen.insert(s).inserted { out.append(s) } }
        return out
    }

    // MARK: Markdown

    public func markdown() -> String {
        var out = ["# SynthBench comparison", "",
                   inputs.enumerated().map { "- **\(labels[$0.offset])**: `\($0.element.file)`" }.joined(separator: "\n"), ""]
        for n in notes { out.append("> " + n); out.append("") }
        for t in tables() {
            out.append("## " + t.title)
            out.append("")
            out.append("| " + t.header.map(Self.mdEscape).joined(separator: " | ") + " |")
            out.append("|" + t.header.indices.map { $0 == 0 ? "---" : "---:" }.joined(separator: "|") + "|")
            for r in t.rows { out.append("| " + r.map(Self.mdEscape).joined(separator: " | ") + " |") }
            if let n = t.note { out.append(""); out.append(n) }
            out.append("")
        }
        return out.joined(separator: "\n")
    }

    static func mdEscape(_ s: String) -> String { s.replacingOccurrences(of: "|", with: "\\|") }

    // MARK: HTML + SVG

    /// One bar per target (with an interval whisker when given).
    struct Bar { var label: String; var value: Double; var low: Double?; var high: Double? }

    public func html() -> String {
        let r = results
        var charts: [String] = []
        func bars(_ f: (BenchResult) -> (Double, Double?, Double?)?) -> [Bar] {
            zip(labels, r).compactMap { label, res in f(res).map { Bar(label: label, value: $0.0, low: $0.1, high: $0.2) } }
        }
        charts.append(Self.svgBarChart(title: "Frames per hour at the reference cell (median, 95% CI)", unit: "frames/hour", bars: bars { res in
            res.cell(res.referenceCell).map { ($0.framesPerHour.median, $0.framesPerHour.ciLow, $0.framesPerHour.ciHigh) }
        }))
        charts.append(Self.svgBarChart(title: "Generator ÷ encode ceiling (hardware-independent)", unit: "ratio", bars: bars {
            ($0.encodeCeiling.ratio, $0.encodeCeiling.ratioCILow, $0.encodeCeiling.ratioCIHigh)
        }))
        charts.append(Self.svgBarChart(title: "Encode ceiling at the reference lanes", unit: "frames/s", bars: bars {
            ($0.encodeCeiling.framesPerSecond, nil, nil)
        }))
        charts.append(Self.svgBarChart(title: "Memory per environment", unit: "bytes", bars: bars { res in
            res.memory.map { ($0.bytesPerEnv, nil, nil) }
        }))
        charts.append(Self.svgBarChart(title: "Lane efficiency at the most lanes, relative to the ceiling's scaling", unit: "ratio", bars: bars { res in
            res.laneScaling.flatMap { s in s.relativeEfficiency.last.map { ($0, nil, nil) } }
        }))
        let keys = Self.union(r.map { $0.cells.map(\.key) })
        for k in keys {
            charts.append(Self.svgBarChart(title: "Frames per hour, \(k)", unit: "frames/hour", bars: bars { res in
                res.cell(k).map { ($0.framesPerHour.median, $0.framesPerHour.ciLow, $0.framesPerHour.ciHigh) }
            }))
        }
        var body = ["<h1>SynthBench comparison</h1>", "<ul>"]
        for (i, input) in inputs.enumerated() { body.append("<li><b>\(Self.esc(labels[i]))</b>: <code>\(Self.esc(input.file))</code></li>") }
        body.append("</ul>")
        for n in notes { body.append("<p class=\"note\">\(Self.esc(n))</p>") }
        body.append("<div class=\"charts\">" + charts.joined(separator: "\n") + "</div>")
        for t in tables() {
            body.append("<h2>\(Self.esc(t.title))</h2>")
            body.append("<table><thead><tr>" + t.header.map { "<th>\(Self.esc($0))</th>" }.joined() + "</tr></thead><tbody>")
            for row in t.rows {
                body.append("<tr>" + row.enumerated().map { $0.offset == 0 ? "<th>\(Self.esc($0.element))</th>" : "<td>\(Self.esc($0.element))</td>" }.joined() + "</tr>")
            }
            body.append("</tbody></table>")
            if let n = t.note { body.append("<p class=\"note\">\(Self.esc(n))</p>") }
        }
        return """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"/><title>SynthBench comparison</title>
        <style>
        body { font-family: system-ui, sans-serif; margin: 2em; color: #222; }
        table { border-collapse: collapse; margin-bottom: 1.5em; }
        th, td { border: 1px solid #ccc; padding: 4px 8px; text-align: right; }
        th:first-child { text-align: left; }
        .charts { display: flex; flex-wrap: wrap; gap: 16px; }
        .note { color: #555; font-style: italic; }
        </style></head><body>
        \(body.joined(separator: "\n"))
        </body></html>

        """
    }

    static let palette = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7"]

    /// A horizontal bar chart as an inline SVG element.
    static func svgBarChart(title: String, unit: String, bars: [Bar]) -> String {
        let width = 520.0, labelWidth = 170.0, barHeight = 22.0, gap = 8.0, top = 34.0
        let height = top + Double(max(bars.count, 1)) * (barHeight + gap) + 24
        let maxValue = bars.map { max($0.value, $0.high ?? 0) }.filter(\.isFinite).max() ?? 0
        let scale = maxValue > 0 ? (width - labelWidth - 90) / maxValue : 0
        var parts = ["<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" role=\"img\" aria-label=\"\(esc(title))\">",
                     "<text x=\"4\" y=\"18\" font-size=\"13\" font-weight=\"bold\">\(esc(title))</text>"]
        if bars.isEmpty {
            parts.append("<text x=\"4\" y=\"\(Int(top + 14))\" font-size=\"12\">not measured</text>")
        }
        for (i, b) in bars.enumerated() {
            let y = top + Double(i) * (barHeight + gap)
            let w = b.value.isFinite ? max(0, b.value * scale) : 0
            parts.append("<text x=\"\(Int(labelWidth - 6))\" y=\"\(fmt(y + barHeight * 0.7))\" font-size=\"12\" text-anchor=\"end\">\(esc(String(b.label.prefix(26))))</text>")
            parts.append("<rect x=\"\(Int(labelWidth))\" y=\"\(fmt(y))\" width=\"\(fmt(w))\" height=\"\(Int(barHeight))\" fill=\"\(palette[i % palette.count])\"><title>\(esc(b.label)): \(esc(valueText(b.value, unit)))</title></rect>")
            if let lo = b.low, let hi = b.high, lo.isFinite, hi.isFinite, hi > lo {
                let x0 = labelWidth + lo * scale, x1 = labelWidth + hi * scale, ym = y + barHeight / 2
                parts.append("<path d=\"M\(fmt(x0)) \(fmt(ym)) H\(fmt(x1)) M\(fmt(x0)) \(fmt(ym - 5)) V\(fmt(ym + 5)) M\(fmt(x1)) \(fmt(ym - 5)) V\(fmt(ym + 5))\" stroke=\"#222\" stroke-width=\"1.5\" fill=\"none\"/>")
            }
            parts.append("<text x=\"\(fmt(labelWidth + max(w, (b.high ?? 0) * scale) + 6))\" y=\"\(fmt(y + barHeight * 0.7))\" font-size=\"12\">\(esc(valueText(b.value, unit)))</text>")
        }
        parts.append("</svg>")
        return parts.joined(separator: "\n")
    }

    static func valueText(_ v: Double, _ unit: String) -> String {
        switch unit {
        case "bytes": return Format.bytes(v)
        case "ratio": return Format.fixed(v, 3)
        case "frames/s": return Format.fixed(v, 1) + " " + unit
        default: return Format.grouped(v) + " " + unit
        }
    }

    static func fmt(_ x: Double) -> String { String(format: "%.1f", x) }

    static func esc(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}

extension CompareReport {
    /// Writes `BASE.md` and `BASE.html` (a trailing .md or .html on `path` is dropped) and returns BASE.
    public func write(to path: String) throws -> String {
        var base = path
        for ext in [".md", ".html"] where base.hasSuffix(ext) { base.removeLast(ext.count) }
        try FileIO.writeAtomically(markdown(), to: base + ".md")
        try FileIO.writeAtomically(html(), to: base + ".html")
        return base
    }
}
