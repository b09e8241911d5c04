import Foundation

/// Inline SVG drawing that never clips: every element widens the canvas's box by what it covers (text by a
/// conservative estimate of its width), and `svg` sizes the viewBox to hold all of it. No scripts, no fonts or
/// files from outside the element.
struct SVGCanvas {
    enum Anchor: String { case start, middle, end }

    /// A text's box in user units: left, right, top, bottom.
    struct Box: Equatable { var minX, maxX, minY, maxY: Double }

    /// The fonts text is set in; `TextMetrics` estimates widths for the widest of them.
    static let fontFamily = "DejaVu Sans, Verdana, sans-serif"
    /// Space kept free around everything drawn.
    static let padding = 8.0

    private(set) var elements: [String] = []
    private(set) var right = 0.0
    private(set) var bottom = 0.0

    mutating func cover(x: Double, y: Double) {
        right = max(right, x)
        bottom = max(bottom, y)
    }

    /// Where a text element lands: from its baseline point, anchor and size; a rotated text is turned −90°
    /// about its point (it reads bottom to top).
    static func textBox(_ s: String, x: Double, y: Double, size: Double, anchor: Anchor, bold: Bool, rotated: Bool) -> Box {
        let w = TextMetrics.width(s, size: size, bold: bold)
        let (before, after): (Double, Double)
        switch anchor {
        case .start: (before, after) = (0, w)
        case .middle: (before, after) = (w / 2, w / 2)
        case .end: (before, after) = (w, 0)
        }
        let ascent = TextMetrics.ascent * size, descent = TextMetrics.descent * size
        return rotated ? Box(minX: x - ascent, maxX: x + descent, minY: y - after, maxY: y + before)
                       : Box(minX: x - before, maxX: x + after, minY: y - ascent, maxY: y + descent)
    }

    mutating func text(_ s: String, x: Double, y: Double, size: Double = 12, anchor: Anchor = .start, bold: Bool = false,
                       fill: String = "#222", rotated: Bool = false, halo: Bool = false) {
        let b = Self.textBox(s, x: x, y: y, size: size, anchor: anchor, bold: bold, rotated: rotated)
        cover(x: b.maxX, y: b.maxY)
        var attrs = "x=\"\(Self.num(x))\" y=\"\(Self.num(y))\" font-size=\"\(Self.num(size))\" fill=\"\(fill)\""
        if anchor != .start { attrs += " text-anchor=\"\(anchor.rawValue)\"" }
        if bold { attrs += " font-weight=\"bold\"" }
        // A white outline under the glyphs keeps a label readable over grid lines.
        if halo { attrs += " stroke=\"#fff\" stroke-width=\"3\" paint-order=\"stroke\" stroke-linejoin=\"round\"" }
        if rotated { attrs += " transform=\"rotate(-90 \(Self.num(x)) \(Self.num(y)))\"" }
        elements.append("<text \(attrs)>\(Markup.escape(s))</text>")
    }

    mutating func line(x1: Double, y1: Double, x2: Double, y2: Double, stroke: String, width: Double = 1, dash: String? = nil) {
        cover(x: max(x1, x2) + width, y: max(y1, y2) + width)
        elements.append("<line x1=\"\(Self.num(x1))\" y1=\"\(Self.num(y1))\" x2=\"\(Self.num(x2))\" y2=\"\(Self.num(y2))\" stroke=\"\(stroke)\" stroke-width=\"\(Self.num(width))\""
                        + (dash.map { " stroke-dasharray=\"\($0)\"" } ?? "") + "/>")
    }

    /// A polyline through the points.
    mutating func polyline(_ points: [(x: Double, y: Double)], stroke: String, width: Double, dash: String? = nil) {
        guard let first = points.first else { return }
        for p in points { cover(x: p.x + width, y: p.y + width) }
        let d = "M\(Self.num(first.x)) \(Self.num(first.y))" + points.dropFirst().map { " L\(Self.num($0.x)) \(Self.num($0.y))" }.joined()
        elements.append("<path d=\"\(d)\" fill=\"none\" stroke=\"\(stroke)\" stroke-width=\"\(Self.num(width))\" stroke-linejoin=\"round\""
                        + (dash.map { " stroke-dasharray=\"\($0)\"" } ?? "") + "/>")
    }

    mutating func rect(x: Double, y: Double, width: Double, height: Double, fill: String, stroke: String? = nil, tooltip: String? = nil) {
        cover(x: x + width, y: y + height)
        let title = tooltip.map { "<title>\(Markup.escape($0))</title>" } ?? ""
        elements.append("<rect x=\"\(Self.num(x))\" y=\"\(Self.num(y))\" width=\"\(Self.num(max(0, width)))\" height=\"\(Self.num(height))\" fill=\"\(fill)\""
                        + (stroke.map { " stroke=\"\($0)\"" } ?? "") + (title.isEmpty ? "/>" : ">\(title)</rect>"))
    }

    mutating func circle(cx: Double, cy: Double, r: Double, fill: String, stroke: String, tooltip: String? = nil) {
        cover(x: cx + r + 1, y: cy + r + 1)
        let title = tooltip.map { "<title>\(Markup.escape($0))</title>" } ?? ""
        elements.append("<circle cx=\"\(Self.num(cx))\" cy=\"\(Self.num(cy))\" r=\"\(Self.num(r))\" fill=\"\(fill)\" stroke=\"\(stroke)\" stroke-width=\"1.5\""
                        + (title.isEmpty ? "/>" : ">\(title)</circle>"))
    }

    /// Elements drawn by `body` inside `<g class="series" data-series="name">`.
    mutating func series(_ name: String, _ body: (inout SVGCanvas) -> Void) {
        elements.append("<g class=\"series\" data-series=\"\(Markup.escape(name))\">")
        body(&self)
        elements.append("</g>")
    }

    /// The finished element: `role="img"`, a `<title>` (and `<desc>`) that screen readers announce, `data-chart`
    /// naming the kind of chart, and a viewBox from the origin to what was drawn plus the padding.
    func svg(id: String, kind: String, title: String, description: String) -> String {
        let w = (right + Self.padding).rounded(.up), h = (bottom + Self.padding).rounded(.up)
        return (["<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" data-chart=\"\(kind)\" role=\"img\" aria-labelledby=\"\(id)-title \(id)-desc\""
                 + " width=\"\(Self.num(w))\" height=\"\(Self.num(h))\" viewBox=\"0 0 \(Self.num(w)) \(Self.num(h))\" font-family=\"\(Self.fontFamily)\">",
                 "<title id=\"\(id)-title\">\(Markup.escape(title))</title>",
                 "<desc id=\"\(id)-desc\">\(Markup.escape(description))</desc>"]
                + elements + ["</svg>"]).joined(separator: "\n")
    }

    /// A coordinate with one decimal (integers without one).
    static func num(_ x: Double) -> String {
        let r = (x * 10).rounded() / 10
        return r == r.rounded() ? String(Int(r)) : String(format: "%.1f", r)
    }
}

/// Conservative text widths without a browser: the advance widths of DejaVu Sans Bold (the widest of the fonts
/// `SVGCanvas` names, bold or not) plus 5 %, one em for any character outside ASCII.
enum TextMetrics {
    /// Above the baseline and below it, in ems (DejaVu Sans: 0.928 and 0.236).
    static let ascent = 0.95
    static let descent = 0.25

    /// Advance widths in ems of DejaVu Sans Bold for U+0020 … U+007E.
    static let ascii: [Double] = [
        0.348, 0.456, 0.521, 0.838, 0.696, 1.002, 0.872, 0.306, 0.457, 0.457, 0.523, 0.838, 0.380, 0.415, 0.380, 0.365,
        0.696, 0.696, 0.696, 0.696, 0.696, 0.696, 0.696, 0.696, 0.696, 0.696, 0.400, 0.400, 0.838, 0.838, 0.838, 0.580,
        1.000, 0.774, 0.762, 0.734, 0.830, 0.683, 0.683, 0.821, 0.837, 0.372, 0.372, 0.775, 0.637, 0.995, 0.837, 0.850,
        0.733, 0.850, 0.770, 0.720, 0.682, 0.812, 0.774, 1.103, 0.771, 0.724, 0.725, 0.457, 0.365, 0.457, 0.838, 0.500,
        0.500, 0.675, 0.716, 0.593, 0.716, 0.678, 0.435, 0.716, 0.712, 0.343, 0.343, 0.665, 0.343, 1.042, 0.712, 0.687,
        0.716, 0.716, 0.493, 0.595, 0.478, 0.712, 0.652, 0.924, 0.645, 0.652, 0.582, 0.712, 0.365, 0.712, 0.838,
    ]

    static func width(_ s: String, size: Double, bold: Bool = false) -> Double {
        var ems = 0.0
        for u in s.unicodeScalars {
            ems += (0x20...0x7E).contains(u.value) ? ascii[Int(u.value) - 0x20] : 1.0
        }
        // Bold and regular alike get the bold widths: the estimate only has to be at least the real width.
        return ems * size * 1.05
    }
}

/// Text for HTML and SVG.
enum Markup {
    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
