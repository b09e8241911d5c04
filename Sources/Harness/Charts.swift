import Foundation

/// Charts as data (series of points, bars) and their rendering to inline SVG through `SVGCanvas`: a line chart
/// with interval whiskers, horizontal bars with whiskers, and stacked horizontal bars with a colour legend.
/// Axes carry labels with units; every chart has a title and a text description.

/// Colours readable on white and told apart by most colour-blind readers (Okabe–Ito, then Tableau).
enum Palette {
    static let series = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#999933"]
    static let stages = ["#4E79A7", "#F28E2B", "#E15759", "#76B7B2", "#59A14F", "#EDC948", "#B07AA1", "#FF9DA7", "#9C755F", "#BAB0AC"]
    static let text = "#222"
    static let muted = "#555"
    static let grid = "#e3e3e3"

    /// Black or white, whichever reads better on `fill` (#RRGGBB).
    static func textColour(on fill: String) -> String {
        let hex = fill.dropFirst()
        guard hex.count == 6, let v = UInt32(hex, radix: 16) else { return text }
        func lin(_ c: UInt32) -> Double {
            let s = Double(c) / 255
            return s <= 0.04045 ? s / 12.92 : pow((s + 0.055) / 1.055, 2.4)
        }
        let l = 0.2126 * lin(v >> 16 & 0xFF) + 0.7152 * lin(v >> 8 & 0xFF) + 0.0722 * lin(v & 0xFF)
        // Contrast with black (l + 0.05) / 0.05 against with white 1.05 / (l + 0.05).
        return (l + 0.05) / 0.05 >= 1.05 / (l + 0.05) ? "#000" : "#fff"
    }
}

/// A value axis from zero: round ticks and their labels.
struct ValueAxis: Equatable {
    var ticks: [Double]
    var max: Double { ticks.last ?? 1 }

    /// Ticks from 0 to at least `maxValue` in steps of 1, 2, 2.5 or 5 × 10ⁿ, about `count` of them.
    init(upTo maxValue: Double, count: Int = 5) {
        guard maxValue.isFinite, maxValue > 0 else { ticks = [0, 1]; return }
        let raw = maxValue / Double(count)
        let magnitude = pow(10, (log10(raw)).rounded(.down))
        let step = [1, 2, 2.5, 5, 10].map { $0 * magnitude }.first { $0 >= raw * (1 - 1e-9) } ?? 10 * magnitude
        let n = Int((maxValue / step * (1 - 1e-9)).rounded(.up))
        ticks = (0...Swift.max(n, 1)).map { Double($0) * step }
    }

    /// A tick's label: thousands as K and millions as M when the axis reaches them, decimals only as the step needs.
    func label(_ v: Double) -> String {
        let step = ticks.count > 1 ? ticks[1] - ticks[0] : 1
        let (divisor, suffix): (Double, String) = max >= 1e6 ? (1e6, "M") : max >= 1e4 ? (1e3, "K") : (1, "")
        var places = 0
        while places < 3 && abs((step / divisor * pow(10, Double(places))).rounded() - step / divisor * pow(10, Double(places))) > 1e-6 {
            places += 1
        }
        return (v == 0 ? "0" : Format.fixed(v / divisor, places)) + (v == 0 ? "" : suffix)
    }
}

/// Points joined by lines (or markers alone), with optional vertical interval whiskers.
struct LineChart {
    struct Point: Equatable { var x: Double; var y: Double; var low: Double? = nil; var high: Double? = nil }
    enum Marker: Equatable { case none, circle, square }
    struct Series {
        /// A short name (the SVG's `data-series`).
        var name: String
        /// The legend's line.
        var legend: String
        var colour: String
        var dash: String? = nil
        var marker: Marker = .circle
        /// False: markers only (a scatter).
        var joined = true
        var points: [Point]
    }

    var kind: String
    var title: String
    var description: String
    var xLabel: String
    var yLabel: String
    /// Where the x axis has ticks (data values); the axis runs from 0 to the largest x.
    var xTicks: [Double]
    var series: [Series]

    static let plotWidth = 420.0, plotHeight = 230.0

    func svg(id: String) -> String {
        var c = SVGCanvas()
        let pad = SVGCanvas.padding
        c.text(title, x: pad, y: pad + 14, size: 14, bold: true)
        let all = series.flatMap(\.points)
        let y = ValueAxis(upTo: all.map { Swift.max($0.y, $0.high ?? 0) }.filter(\.isFinite).max() ?? 1)
        let xMax = Swift.max(all.map(\.x).filter(\.isFinite).max() ?? 1, xTicks.max() ?? 1) * 1.04
        let tickWidth = y.ticks.map { TextMetrics.width(y.label($0), size: 11) }.max() ?? 0
        let left = pad + 12 * (TextMetrics.ascent + TextMetrics.descent) + 8 + tickWidth + 6, top = pad + 34
        let bottom = top + Self.plotHeight
        func px(_ v: Double) -> Double { left + v / xMax * Self.plotWidth }
        func py(_ v: Double) -> Double { bottom - v / y.max * Self.plotHeight }

        for t in y.ticks {
            c.line(x1: left, y1: py(t), x2: left + Self.plotWidth, y2: py(t), stroke: t == 0 ? Palette.muted : Palette.grid)
            c.text(y.label(t), x: left - 6, y: py(t) + 4, size: 11, anchor: .end, fill: Palette.muted)
        }
        c.line(x1: left, y1: top, x2: left, y2: bottom, stroke: Palette.muted)
        var lastLabelEnd = -Double.infinity
        for t in xTicks.sorted() {
            let label = Format.compact(t), w = TextMetrics.width(label, size: 11)
            c.line(x1: px(t), y1: bottom, x2: px(t), y2: bottom + 4, stroke: Palette.muted)
            // A label that would touch the previous one is left out (its tick stays).
            guard px(t) - w / 2 > lastLabelEnd + 3 else { continue }
            c.text(label, x: px(t), y: bottom + 17, size: 11, anchor: .middle, fill: Palette.muted)
            lastLabelEnd = px(t) + w / 2
        }
        c.text(xLabel, x: left + Self.plotWidth / 2, y: bottom + 36, size: 12, anchor: .middle)
        c.text(yLabel, x: pad + 12 * TextMetrics.ascent, y: top + Self.plotHeight / 2, size: 12, anchor: .middle, rotated: true)

        for s in series {
            c.series(s.name) { c in
                let pts = s.points.filter { $0.x.isFinite && $0.y.isFinite }
                for p in pts {
                    if let lo = p.low, let hi = p.high, lo.isFinite, hi.isFinite, hi > lo {
                        c.line(x1: px(p.x), y1: py(lo), x2: px(p.x), y2: py(hi), stroke: s.colour, width: 1.5)
                        c.line(x1: px(p.x) - 4, y1: py(lo), x2: px(p.x) + 4, y2: py(lo), stroke: s.colour, width: 1.5)
                        c.line(x1: px(p.x) - 4, y1: py(hi), x2: px(p.x) + 4, y2: py(hi), stroke: s.colour, width: 1.5)
                    }
                }
                if s.joined { c.polyline(pts.map { (px($0.x), py($0.y)) }, stroke: s.colour, width: 2, dash: s.dash) }
                for p in pts { Self.marker(&c, s.marker, x: px(p.x), y: py(p.y), colour: s.colour, tooltip: "\(s.name): \(Format.compact(p.x)), \(Format.compact(p.y))") }
            }
        }
        var ly = bottom + 58
        for s in series {
            c.line(x1: left, y1: ly - 4, x2: left + 28, y2: ly - 4, stroke: s.joined ? s.colour : "none", width: 2, dash: s.dash)
            Self.marker(&c, s.marker, x: left + 14, y: ly - 4, colour: s.colour, tooltip: nil)
            c.text(s.legend, x: left + 36, y: ly, size: 12)
            ly += 19
        }
        return c.svg(id: id, kind: kind, title: title, description: description)
    }

    static func marker(_ c: inout SVGCanvas, _ m: Marker, x: Double, y: Double, colour: String, tooltip: String?) {
        switch m {
        case .none: break
        case .circle: c.circle(cx: x, cy: y, r: 3.5, fill: "#fff", stroke: colour, tooltip: tooltip)
        case .square: c.rect(x: x - 3.5, y: y - 3.5, width: 7, height: 7, fill: colour, tooltip: tooltip)
        }
    }
}

/// Horizontal bars, one per row, each with an optional interval whisker and its value written after it.
struct BarChart {
    struct Bar { var label: String; var value: Double; var low: Double? = nil; var high: Double? = nil; var valueText: String; var colour: String }
    var kind: String
    var title: String
    var description: String
    var xLabel: String
    var bars: [Bar]

    static let plotWidth = 380.0, barHeight = 22.0, gap = 10.0

    func svg(id: String) -> String {
        var c = SVGCanvas()
        let pad = SVGCanvas.padding
        c.text(title, x: pad, y: pad + 14, size: 14, bold: true)
        let x = ValueAxis(upTo: bars.map { Swift.max($0.value, $0.high ?? 0) }.filter(\.isFinite).max() ?? 1, count: 4)
        let left = pad + (bars.map { TextMetrics.width($0.label, size: 12) }.max() ?? 0) + 10, top = pad + 30
        func px(_ v: Double) -> Double { left + Swift.max(0, v) / x.max * Self.plotWidth }
        let bottom = top + Double(Swift.max(bars.count, 1)) * (Self.barHeight + Self.gap)
        Self.xAxis(&c, x, left: left, top: top, bottom: bottom, width: Self.plotWidth, label: xLabel)
        for (i, b) in bars.enumerated() {
            let y = top + Self.gap / 2 + Double(i) * (Self.barHeight + Self.gap), mid = y + Self.barHeight / 2
            c.series(b.label) { c in
                c.text(b.label, x: left - 8, y: mid + 4, size: 12, anchor: .end)
                c.rect(x: left, y: y, width: px(b.value) - left, height: Self.barHeight, fill: b.colour, tooltip: "\(b.label): \(b.valueText)")
                var end = px(b.value)
                if let lo = b.low, let hi = b.high, lo.isFinite, hi.isFinite, hi > lo {
                    c.line(x1: px(lo), y1: mid, x2: px(hi), y2: mid, stroke: Palette.text, width: 1.5)
                    c.line(x1: px(lo), y1: mid - 5, x2: px(lo), y2: mid + 5, stroke: Palette.text, width: 1.5)
                    c.line(x1: px(hi), y1: mid - 5, x2: px(hi), y2: mid + 5, stroke: Palette.text, width: 1.5)
                    end = Swift.max(end, px(hi))
                }
                c.text(b.valueText, x: end + 6, y: mid + 4, size: 12, halo: true)
            }
        }
        if bars.isEmpty { c.text("not measured", x: left, y: top + 16, size: 12) }
        return c.svg(id: id, kind: kind, title: title, description: description)
    }

    /// Grid lines at the ticks over the plot, tick labels and the axis label below it.
    static func xAxis(_ c: inout SVGCanvas, _ x: ValueAxis, left: Double, top: Double, bottom: Double, width: Double, label: String) {
        for t in x.ticks {
            let px = left + t / x.max * width
            c.line(x1: px, y1: top, x2: px, y2: bottom, stroke: t == 0 ? Palette.muted : Palette.grid)
            c.text(x.label(t), x: px, y: bottom + 15, size: 11, anchor: .middle, fill: Palette.muted)
        }
        c.text(label, x: left + width / 2, y: bottom + 33, size: 12, anchor: .middle)
    }
}

/// Horizontal bars split into coloured segments (the same segment names in every bar), a total after each
/// bar, and a legend of the segment colours.
struct StackedBarChart {
    struct Bar { var label: String; var values: [Double?]; var totalText: String }
    var kind: String
    var title: String
    var description: String
    var xLabel: String
    var segments: [String]
    var bars: [Bar]
    /// How a segment's value is written inside it (when it fits) and in its tooltip.
    var valueText: (Double) -> String

    static let plotWidth = 460.0, barHeight = 26.0, gap = 12.0

    func colour(_ segment: Int) -> String { Palette.stages[segment % Palette.stages.count] }

    func svg(id: String) -> String {
        var c = SVGCanvas()
        let pad = SVGCanvas.padding
        c.text(title, x: pad, y: pad + 14, size: 14, bold: true)
        let totals = bars.map { $0.values.compactMap { $0 }.filter { $0.isFinite && $0 > 0 }.reduce(0, +) }
        let x = ValueAxis(upTo: totals.max() ?? 1, count: 5)
        let left = pad + (bars.map { TextMetrics.width($0.label, size: 12) }.max() ?? 0) + 10, top = pad + 30
        func w(_ v: Double) -> Double { v / x.max * Self.plotWidth }
        let bottom = top + Double(Swift.max(bars.count, 1)) * (Self.barHeight + Self.gap)
        BarChart.xAxis(&c, x, left: left, top: top, bottom: bottom, width: Self.plotWidth, label: xLabel)
        for (i, b) in bars.enumerated() {
            let y = top + Self.gap / 2 + Double(i) * (Self.barHeight + Self.gap), mid = y + Self.barHeight / 2
            c.text(b.label, x: left - 8, y: mid + 4, size: 12, anchor: .end)
            var at = left
            for (k, v) in b.values.enumerated() {
                guard let v, v.isFinite, v > 0 else { continue }
                c.series(segments[k]) { c in
                    c.rect(x: at, y: y, width: w(v), height: Self.barHeight, fill: colour(k), stroke: "#fff",
                           tooltip: "\(b.label), \(segments[k]): \(valueText(v))")
                    let text = valueText(v)
                    if TextMetrics.width(text, size: 11) + 6 <= w(v) {
                        c.text(text, x: at + w(v) / 2, y: mid + 4, size: 11, anchor: .middle, fill: Palette.textColour(on: colour(k)))
                    }
                }
                at += w(v)
            }
            c.text(b.totalText, x: at + 6, y: mid + 4, size: 12, halo: true)
        }
        // The legend: swatch and name per segment, in equal columns across the plot's width.
        let column = 20 + (segments.map { TextMetrics.width($0, size: 12) }.max() ?? 0) + 16
        let perRow = Swift.max(1, Int(Self.plotWidth / column))
        for (k, name) in segments.enumerated() {
            let lx = left + Double(k % perRow) * column, ly = bottom + 56 + Double(k / perRow) * 20
            c.rect(x: lx, y: ly - 11, width: 14, height: 14, fill: colour(k))
            c.text(name, x: lx + 20, y: ly, size: 12)
        }
        return c.svg(id: id, kind: kind, title: title, description: description)
    }
}
