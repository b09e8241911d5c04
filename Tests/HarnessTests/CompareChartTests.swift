import BenchFormat
import Foundation
import FoundationXML
@testable import Harness
import Support
import Testing

/// The charts of `synthbench compare`: well-formed, accessible SVG; the charts the page promises with their
/// series; no label outside its chart; the ideal line and the memory fit drawn from the result's own numbers.
@Suite struct CompareChartTests {
    /// Report inputs: synthetic results (one with 4 lane counts), the committed bench results, and a result
    /// without memory probes or lane scaling under a long name.
    enum Inputs: String, CaseIterable, CustomTestStringConvertible {
        case fixtures, committed, sparse
        var testDescription: String { rawValue }

        /// Each report built once: assembling a fixture result bootstraps all its intervals.
        static let built = Dictionary(uniqueKeysWithValues: allCases.map { input in (input, Result { try input.build() }) })

        func report() throws -> CompareReport { try Self.built[self]!.get() }

        func build() throws -> CompareReport {
            switch self {
            case .fixtures:
                var other = try Fixture.result(Fixture.Spec(machineSpeed: 3, seed: 3, machine: Fixture.otherMachine, lanes: [1, 2, 4, 8]))
                other.target = "workstation"
                return CompareReport([.init(file: "results/a.json", result: try Fixture.result()),
                                      .init(file: "results/b.json", result: other),
                                      .init(file: "results/c.json", result: try Fixture.result(Fixture.Spec(seed: 9)))])
            case .committed:
                return CompareReport(try ["results/amd-epyc-2core.json", "results/xeon-16core.json"].map {
                    .init(file: $0, result: try BenchResult.read(path: Fixture.root + "/" + $0))
                })
            case .sparse:
                var r = try Fixture.result()
                r.cells.removeAll { $0.lanes != r.referenceCell.lanes }
                r.memory = nil
                r.laneScaling = nil
                r.target = "WWW-a-very-long-target-name-with-Wide-Letters-MMMMMMMMMMMMMMMMMMMM"
                r.stages.names.append("an added stage with a long name")
                r.stages.msPerFrame["an added stage with a long name"] = 123456.789
                return CompareReport([.init(file: "results/sparse.json", result: r), .init(file: "results/a.json", result: try Fixture.result())])
            }
        }
    }

    /// Every `<svg>…</svg>` of the page, parsed.
    static func svgs(_ html: String) throws -> [XMLElement] {
        var out: [XMLElement] = [], rest = Substring(html)
        while let start = rest.range(of: "<svg"), let end = rest.range(of: "</svg>", range: start.upperBound..<rest.endIndex) {
            let doc = try XMLDocument(xmlString: String(rest[start.lowerBound..<end.upperBound]))
            out.append(try #require(doc.rootElement()))
            rest = rest[end.upperBound...]
        }
        return out
    }

    static func descendants(_ e: XMLElement, named name: String) -> [XMLElement] {
        (e.children ?? []).compactMap { $0 as? XMLElement }.flatMap { c in ((c.localName ?? c.name) == name ? [c] : []) + descendants(c, named: name) }
    }

    static func attr(_ e: XMLElement, _ name: String) -> String? {
        (e.attributes ?? []).first { ($0.localName ?? $0.name) == name }?.stringValue
    }
    static func number(_ e: XMLElement, _ name: String) throws -> Double { try #require(attr(e, name).flatMap(Double.init), "\(name) of \(e)") }

    static func charts(_ svgs: [XMLElement], _ kind: String) -> [XMLElement] { svgs.filter { attr($0, "data-chart") == kind } }

    static func seriesNames(_ svg: XMLElement) -> Set<String> {
        Set(descendants(svg, named: "g").filter { attr($0, "class") == "series" }.compactMap { attr($0, "data-series") })
    }

    @Test(arguments: Inputs.allCases)
    func chartsAreWellFormedAccessibleSVG(_ inputs: Inputs) throws {
        let report = try inputs.report()
        let svgs = try Self.svgs(report.html())
        let results = report.inputs.map(\.result)
        #expect(svgs.count == 2 + results.filter { CompareCharts.laneScaling($0, label: "") != nil }.count + results.filter { $0.memory != nil }.count)
        var ids = Set<String>()
        for svg in svgs {
            #expect(Self.attr(svg, "role") == "img")
            let title = try #require((svg.children ?? []).first as? XMLElement)
            #expect(title.name == "title" && !(title.stringValue ?? "").isEmpty)
            let id = try #require(Self.attr(title, "id"))
            #expect(ids.insert(id).inserted, "duplicate id \(id)")
            #expect(Self.attr(svg, "aria-labelledby")?.hasPrefix(id) == true)
            #expect(Self.attr(svg, "viewBox") == "0 0 \(Self.attr(svg, "width")!) \(Self.attr(svg, "height")!)")
            // Lines and points carry axis labels with units.
            if ["lane-scaling", "peak-rss"].contains(Self.attr(svg, "data-chart")) {
                let texts = Self.descendants(svg, named: "text").compactMap(\.stringValue)
                #expect(texts.contains("lanes (threads)") && texts.contains("frames/s") || texts.contains("environments") && texts.contains("peak RSS (MB)"))
            }
        }
    }

    @Test(arguments: Inputs.allCases)
    func eachChartHasItsSeries(_ inputs: Inputs) throws {
        let report = try inputs.report()
        let svgs = try Self.svgs(report.html())
        let results = report.inputs.map(\.result)

        let throughput = Self.charts(svgs, "throughput")
        #expect(throughput.count == 1)
        #expect(Self.seriesNames(throughput[0]) == Set(report.labels))
        #expect(Self.descendants(throughput[0], named: "rect").count == results.count)

        let lanes = Self.charts(svgs, "lane-scaling")
        #expect(lanes.count == results.filter { Set($0.cells.map(\.lanes)).count > 1 }.count)
        for svg in lanes {
            #expect(Self.seriesNames(svg) == ["generator", "ideal", "ceiling"])
        }
        let rss = Self.charts(svgs, "peak-rss")
        #expect(rss.count == results.filter { $0.memory != nil }.count)
        for svg in rss { #expect(Self.seriesNames(svg) == ["fit", "probes"]) }

        let stages = Self.charts(svgs, "stages")
        #expect(stages.count == 1)
        let names = CompareReport.unionStrings(results.map(\.stages.names))
        let drawn = names.filter { n in results.contains { ($0.stages.msPerFrame[n] ?? 0) > 0 } }
        #expect(Self.seriesNames(stages[0]) == Set(drawn))
        // One segment per stage with time per machine, and a legend swatch per stage.
        let segments = results.map { r in names.filter { (r.stages.msPerFrame[$0] ?? 0) > 0 }.count }.reduce(0, +)
        #expect(Self.descendants(stages[0], named: "rect").count == segments + names.count)
        for n in names { #expect(Self.descendants(stages[0], named: "text").contains { $0.stringValue == n }, "no legend entry \(n)") }
    }

    @Test(arguments: Inputs.allCases)
    func noLabelOutsideItsChart(_ inputs: Inputs) throws {
        for svg in try Self.svgs(try inputs.report().html()) {
            let width = try Self.number(svg, "width"), height = try Self.number(svg, "height")
            let texts = Self.descendants(svg, named: "text")
            #expect(!texts.isEmpty)
            for t in texts {
                let content = (t.children ?? []).filter { $0.kind == .text }.compactMap(\.stringValue).joined()
                let anchor = SVGCanvas.Anchor(rawValue: Self.attr(t, "text-anchor") ?? "start")!
                let box = SVGCanvas.textBox(content, x: try Self.number(t, "x"), y: try Self.number(t, "y"),
                                            size: try Self.number(t, "font-size"), anchor: anchor,
                                            bold: Self.attr(t, "font-weight") == "bold", rotated: Self.attr(t, "transform") != nil)
                #expect(box.minX >= 0 && box.maxX <= width && box.minY >= 0 && box.maxY <= height,
                        "\"\(content)\" at \(box) leaves the \(width)×\(height) chart \(Self.attr(svg, "data-chart") ?? "")")
            }
        }
    }

    @Test func idealLinePassesThroughTheOneLanePoint() throws {
        for input in try Inputs.committed.report().inputs + Inputs.fixtures.report().inputs {
            let chart = try #require(CompareCharts.laneScaling(input.result, label: input.result.target))
            let series = Dictionary(uniqueKeysWithValues: chart.series.map { ($0.name, $0.points) })
            let generator = try #require(series["generator"]), ideal = try #require(series["ideal"])
            let one = try #require(generator.first { $0.x == 1 })
            #expect(ideal.first { $0.x == 1 }?.y == one.y)
            // Linear: frames/s at 1 lane × lanes.
            for p in ideal { #expect(abs(p.y - one.y * p.x) <= 1e-9 * p.y) }
            // The 1-lane point is the cell's median, and the ceiling's points are the cells' own ceiling medians.
            let scaling = try #require(input.result.laneScaling)
            let cell = try #require(input.result.cell(.init(envs: scaling.envs, lanes: 1)))
            #expect(one.y == cell.framesPerSecond.median)
            #expect(series["ceiling"]?.first { $0.x == 1 }?.y == cell.ceilingFramesPerSecond.median)

            // Drawn: the dashed ideal path starts at the centre of the generator's 1-lane marker.
            let svg = try #require(try Self.svgs(chart.svg(id: "t")).first)
            let groups = Self.descendants(svg, named: "g")
            let idealPath = try #require(groups.first { Self.attr($0, "data-series") == "ideal" }.flatMap { Self.descendants($0, named: "path").first })
            let start = try #require(Self.attr(idealPath, "d")).dropFirst().split(separator: " ").prefix(2).compactMap { Double($0) }
            let marker = try #require(groups.first { Self.attr($0, "data-series") == "generator" }.flatMap { Self.descendants($0, named: "circle").first })
            #expect(start == [try Self.number(marker, "cx"), try Self.number(marker, "cy")])
        }
    }

    @Test func fittedRSSLineIsTheResultsFit() throws {
        for input in try Inputs.committed.report().inputs + Inputs.fixtures.report().inputs {
            let m = try #require(input.result.memory)
            let chart = try #require(CompareCharts.peakRSS(input.result, label: input.result.target))
            let fit = try #require(chart.series.first { $0.name == "fit" })
            #expect(fit.points.map(\.x) == [0, Double(m.envs.max()!)])
            for p in fit.points { #expect(abs(p.y * 1e6 - (m.fixedBytes + m.bytesPerEnv * p.x)) <= 1e-6 * m.fixedBytes) }
            #expect(fit.legend.contains("\(Format.bytes(m.bytesPerEnv)) per additional env"))
            // The points drawn are the points fitted: least squares through them gives the result's slope.
            let probes = try #require(chart.series.first { $0.name == "probes" }).points
            #expect(probes.count == m.peakRSSBytes.map(\.samples.count).reduce(0, +))
            let mx = probes.map(\.x).reduce(0, +) / Double(probes.count), my = probes.map(\.y).reduce(0, +) / Double(probes.count)
            let slope = zip(probes.map(\.x), probes.map(\.y)).map { ($0 - mx) * ($1 - my) }.reduce(0, +)
                / probes.map { ($0.x - mx) * ($0.x - mx) }.reduce(0, +) * 1e6
            // The committed files round the slope to whole bytes.
            #expect(abs(slope - m.bytesPerEnv) <= 0.5 + 1e-9 * m.bytesPerEnv, "\(slope) vs \(m.bytesPerEnv)")
        }
    }

    @Test func missingPartsGiveNoChartAndANote() throws {
        let report = try Inputs.sparse.report()
        let html = report.html()
        let svgs = try Self.svgs(html)
        // The sparse result has one lane count and no memory probe: only the second input has those charts.
        #expect(Self.charts(svgs, "lane-scaling").count == 1 && Self.charts(svgs, "peak-rss").count == 1)
        #expect(html.contains("not drawn for \(report.labels[0])"))
    }

    @Test(arguments: [(387.0, [0.0, 100, 200, 300, 400], "400"), (0.65, [0, 0.2, 0.4, 0.6, 0.8], "0.8"),
                      (1_390_000, [0, 500_000, 1_000_000, 1_500_000], "1.5M"), (86, [0, 20, 40, 60, 80, 100], "100"),
                      (20, [0, 5, 10, 15, 20], "20"), (0.9, [0, 0.2, 0.4, 0.6, 0.8, 1.0], "1.0")])
    func axisTicksAreRound(_ maxValue: Double, _ ticks: [Double], _ top: String) {
        let axis = ValueAxis(upTo: maxValue, count: maxValue > 1e6 ? 4 : 5)
        #expect(axis.ticks.count == ticks.count)
        for (a, b) in zip(axis.ticks, ticks) { #expect(abs(a - b) <= 1e-9 * max(1, b)) }
        #expect(axis.label(axis.max) == top)
    }

    @Test func textEstimatesCoverWideLetters() {
        // DejaVu Sans (regular) advance widths in ems: "W" 0.989, "m" 0.974, "0" 0.636, "i" 0.278.
        for (s, ems) in [("W", 0.989), ("m", 0.974), ("0", 0.636), ("i", 0.278), ("×", 0.838), ("–", 0.5)] {
            #expect(TextMetrics.width(s, size: 10) >= ems * 10, "\(s)")
        }
        #expect(TextMetrics.width("frames/s", size: 12) > TextMetrics.width("frames", size: 12))
    }
}
