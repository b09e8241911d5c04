import BenchFormat
import Foundation
import Support

/// `synthbench compare`: results of several hardware targets side by side, as Markdown tables and as one HTML
/// page with the same tables and inline SVG charts (no scripts, no external files): frames per hour at the
/// reference cell, lane-scaling curves and peak RSS against environments per machine, stacked stage breakdowns.
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

    /// The charts of the page, in order: throughput, lane scaling and peak RSS per machine, stage breakdown;
    /// with each section a sentence naming the machines whose result cannot give that chart.
    func charts() -> [(section: String, svgs: [String], missing: String?)] {
        let r = results
        var n = 0
        func id() -> String { n += 1; return "chart-\(n)" }
        func perMachine(_ section: String, _ why: String, _ chart: (BenchResult, String) -> LineChart?) -> (String, [String], String?) {
            var svgs: [String] = [], without: [String] = []
            for (label, res) in zip(labels, r) {
                if let c = chart(res, label) { svgs.append(c.svg(id: id())) } else { without.append(label) }
            }
            return (section, svgs, without.isEmpty ? nil : "\(section) not drawn for \(without.joined(separator: ", ")): \(why).")
        }
        return [
            ("Throughput", [CompareCharts.throughput(r, labels: labels).svg(id: id())], nil),
            perMachine("Lane scaling", "one lane count measured") { CompareCharts.laneScaling($0, label: $1) },
            perMachine("Peak RSS against environments", "no memory probe ran") { CompareCharts.peakRSS($0, label: $1) },
            ("Stage breakdown", [CompareCharts.stages(r, labels: labels).svg(id: id())], nil),
        ]
    }

    public func html() -> String {
        var body = ["<h1>SynthBench comparison</h1>", "<ul>"]
        for (i, input) in inputs.enumerated() { body.append("<li><b>\(Self.esc(labels[i]))</b>: <code>\(Self.esc(input.file))</code></li>") }
        body.append("</ul>")
        for n in notes { body.append("<p class=\"note\">\(Self.esc(n))</p>") }
        for (section, svgs, missing) in charts() {
            body.append("<h2>\(Self.esc(section))</h2>")
            if let missing { body.append("<p class=\"note\">\(Self.esc(missing))</p>") }
            if !svgs.isEmpty { body.append("<div class=\"charts\">\n" + svgs.joined(separator: "\n") + "\n</div>") }
        }
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
        .charts { display: flex; flex-wrap: wrap; gap: 24px; align-items: flex-start; margin-bottom: 1.5em; }
        svg.chart { max-width: 100%; height: auto; background: #fff; }
        .note { color: #555; font-style: italic; }
        </style></head><body>
        \(body.joined(separator: "\n"))
        </body></html>

        """
    }

    static func esc(_ s: String) -> String { Markup.escape(s) }
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
