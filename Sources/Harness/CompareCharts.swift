import BenchFormat
import Foundation

/// The charts of `synthbench compare`, built from bench results: lane-scaling curves and peak RSS against
/// environments per machine, the stage breakdown of every machine as stacked bars, and frames per hour at the
/// reference cell. Optional parts of a result (memory, lane scaling) that are missing give no chart.
enum CompareCharts {
    /// Frames/s against lanes at the lane-scaling envs: the generator (median, 95 % CI), the ideal line (the
    /// base-lane frames/s times lanes ÷ base lanes, through the generator's base point) and the encode ceiling
    /// measured on the same frames with the same threads. Nil with fewer than two lane counts.
    static func laneScaling(_ r: BenchResult, label: String) -> LineChart? {
        let scaling = r.laneScaling
        let envs = scaling?.envs ?? r.referenceCell.envs
        let cells = r.cells.filter { $0.envs == envs }.sorted { $0.lanes < $1.lanes }
        guard cells.count >= 2 else { return nil }
        let base = cells.first { $0.lanes == scaling?.baseLanes } ?? cells[0]
        func point(_ lanes: Int, _ s: Summary) -> LineChart.Point { .init(x: Double(lanes), y: s.median, low: s.ciLow, high: s.ciHigh) }
        let ideal = cells.map { LineChart.Point(x: Double($0.lanes), y: base.framesPerSecond.median * Double($0.lanes) / Double(base.lanes)) }

        var generatorLegend = "generator, envs \(envs) (median, 95% CI)", ceilingLegend = "encode ceiling, same frames and threads"
        if let s = scaling, let i = s.lanes.indices.last, i > 0 {
            generatorLegend += ": \(Format.fixed(s.speedup[i], 2))× at \(s.lanes[i]) lanes, \(Format.percent(s.efficiency[i])) of ideal"
            ceilingLegend += ": \(Format.fixed(s.ceilingSpeedup[i], 2))× at \(s.lanes[i]) lanes"
        }
        let baseText = base.lanes == 1 ? "1-lane" : "\(base.lanes)-lane"
        return LineChart(
            kind: "lane-scaling", title: "Lane scaling: \(label) (\(r.machine.cores) cores)",
            description: "Frames per second against lanes at \(envs) environments on \(label): the generator's medians with 95% intervals, "
                + "the ideal line through the \(baseText) point, and the encode ceiling's own frames per second.",
            xLabel: "lanes (threads)", yLabel: "frames/s",
            xTicks: cells.map { Double($0.lanes) },
            series: [
                .init(name: "ideal", legend: "ideal: \(baseText) frames/s × lanes" + (base.lanes == 1 ? "" : " ÷ \(base.lanes)"),
                      colour: Palette.muted, dash: "6 4", marker: .none, points: ideal),
                .init(name: "ceiling", legend: ceilingLegend, colour: Palette.series[1], marker: .square,
                      points: cells.map { point($0.lanes, $0.ceilingFramesPerSecond) }),
                .init(name: "generator", legend: generatorLegend, colour: Palette.series[0], marker: .circle,
                      points: cells.map { point($0.lanes, $0.framesPerSecond) }),
            ])
    }

    /// Peak RSS (MB) of every memory probe against its environment count, and the result's least-squares line
    /// (fixed bytes + bytes per env × envs) from 0 to the most envs. Nil when no probe ran.
    static func peakRSS(_ r: BenchResult, label: String) -> LineChart? {
        guard let m = r.memory, let most = m.envs.max() else { return nil }
        let probes = zip(m.envs, m.peakRSSBytes).flatMap { e, s in s.samples.map { LineChart.Point(x: Double(e), y: $0 / 1e6) } }
        let fit = [0, most].map { e in LineChart.Point(x: Double(e), y: (m.fixedBytes + m.bytesPerEnv * Double(e)) / 1e6) }
        let r2 = m.r2.map { ", R² \(Format.fixed($0, 3))" } ?? ""
        return LineChart(
            kind: "peak-rss", title: "Peak RSS against environments: \(label)",
            description: "Peak resident memory of each probe process (\(m.lanes) lanes) against its number of environments on \(label), "
                + "with the least-squares line: \(Format.bytes(m.bytesPerEnv)) per additional environment over \(Format.bytes(m.fixedBytes)) fixed."
                + (m.warning.map { " Warning: \($0)" } ?? ""),
            xLabel: "environments", yLabel: "peak RSS (MB)",
            xTicks: m.envs.map(Double.init),
            series: [
                .init(name: "fit", legend: "fit: \(Format.bytes(m.fixedBytes)) + \(Format.bytes(m.bytesPerEnv)) per additional env\(r2)",
                      colour: Palette.series[2], marker: .none, points: fit),
                .init(name: "probes", legend: "peak RSS of each probe process (\(m.lanes) lanes)", colour: Palette.series[0],
                      marker: .circle, joined: false, points: probes),
            ])
    }

    /// Lane-milliseconds per frame of each stage at each machine's reference cell, stacked in pipeline order.
    static func stages(_ results: [BenchResult], labels: [String]) -> StackedBarChart {
        let names = CompareReport.unionStrings(results.map(\.stages.names))
        return StackedBarChart(
            kind: "stages", title: "Stage breakdown at the reference cell",
            description: "Milliseconds per frame spent in each stage, summed over lanes, stacked in pipeline order ("
                + names.joined(separator: ", ") + "), one bar per machine.",
            xLabel: "lane-ms per frame (stage time summed over lanes)", segments: names,
            bars: zip(labels, results).map { label, r in
                let total = names.compactMap { r.stages.msPerFrame[$0] }.filter(\.isFinite).reduce(0, +)
                return .init(label: label, values: names.map { r.stages.msPerFrame[$0] },
                             totalText: "\(Format.fixed(total, 1)) lane-ms/frame, wall \(Format.fixed(r.stages.wallMsPerFrame, 2)) ms/frame (envs \(r.referenceCell.envs), lanes \(r.referenceCell.lanes))")
            },
            valueText: { Format.fixed($0, $0 < 10 ? 2 : 1) })
    }

    /// Frames per hour at each machine's reference cell: median and 95 % interval.
    static func throughput(_ results: [BenchResult], labels: [String]) -> BarChart {
        BarChart(
            kind: "throughput", title: "Frames per hour at the reference cell (median, 95% CI)",
            description: "Generator frames per hour of each machine at its reference cell (most lanes, then most environments), "
                + "with the 95% interval of the median.",
            xLabel: "frames/hour",
            bars: zip(labels, results).enumerated().compactMap { i, pair in
                let (label, r) = pair
                guard let c = r.cell(r.referenceCell) else { return nil }
                let s = c.framesPerHour
                return .init(label: label, value: s.median, low: s.ciLow, high: s.ciHigh,
                             valueText: "\(CompareReport.ci(s, grouped: true)) at envs \(c.envs), lanes \(c.lanes)",
                             colour: Palette.series[i % Palette.series.count])
            })
    }
}

extension Format {
    /// An integer without decimals, anything else with two below 10 and one above.
    static func compact(_ x: Double) -> String {
        guard x.isFinite else { return "–" }
        if x == x.rounded() && abs(x) < 1e15 { return grouped(x) }
        return fixed(x, abs(x) < 10 ? 2 : 1)
    }
}
