import BenchFormat
import Foundation

/// Number formatting shared by the text, Markdown and HTML reports.
enum Format {
    static func grouped(_ x: Double) -> String {
        guard x.isFinite else { return "–" }
        guard abs(x) < 1e18 else { return String(format: "%.3g", x) }
        let n = Int(x.rounded())
        let digits = String(abs(n))
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (n < 0 ? "-" : "") + out
    }

    static func fixed(_ x: Double, _ places: Int) -> String {
        x.isFinite ? String(format: "%.\(places)f", x) : "–"
    }

    static func bytes(_ x: Double) -> String {
        guard x.isFinite else { return "–" }
        let a = abs(x)
        if a >= 1e9 { return fixed(x / 1e9, 2) + " GB" }
        if a >= 1e6 { return fixed(x / 1e6, 1) + " MB" }
        if a >= 1e3 { return fixed(x / 1e3, 1) + " KB" }
        return fixed(x, 0) + " B"
    }

    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "–" }
        if seconds >= 3600 { return fixed(seconds / 3600, 2) + " h" }
        if seconds >= 60 { return fixed(seconds / 60, 1) + " min" }
        return fixed(seconds, 1) + " s"
    }

    static func percent(_ x: Double, _ places: Int = 0) -> String { fixed(x * 100, places) + "%" }

    static func signedPercent(_ x: Double) -> String {
        guard x.isFinite else { return "–" }
        return (x >= 0 ? "+" : "") + fixed(x * 100, 1) + "%"
    }

    static func objectiveValue(_ o: BenchResult.Objective) -> String {
        switch o.unit {
        case "bytes": return bytes(o.value)
        case "seconds": return duration(o.value)
        default: return grouped(o.value) + " " + o.unit
        }
    }

    static func pad(_ s: String, _ width: Int, left: Bool = false) -> String {
        let n = s.count
        if n >= width { return s }
        let fill = String(repeating: " ", count: width - n)
        return left ? s + fill : fill + s
    }
}

extension BenchResult {
    /// The human summary `synthbench bench` prints.
    public func summaryText() -> String {
        var out: [String] = []
        let m = machine
        out.append("synthbench bench: target \(target), \(run.configSource) (config \(run.configHash.prefix(12))), "
                   + "\(run.imageWidth)×\(run.imageHeight), seed \(run.seed), \(run.frames) frames × \(run.repeats) repeats, "
                   + "\(run.build) build, \(Format.duration(run.seconds))")
        out.append("machine: \(m.cpuModel), \(m.cores) cores, \(Format.bytes(Double(m.memoryBytes))), \(m.os), \(m.kernel); "
                   + "libpng \(m.libpng), GSL \(m.gsl), ODE \(m.ode)")
        if run.build != "release" { out.append("warning: a \(run.build) build; only release builds give meaningful figures") }
        out.append("")
        if let l = run.loadAverage, l.count == 2 {
            out.append("load average \(Format.fixed(l[0], 2)) at the start, \(Format.fixed(l[1], 2)) at the end"
                       + (cells.contains { ($0.coresUsed?.median ?? Double($0.lanes)) < 0.8 * Double($0.lanes) }
                          ? "; cells whose 'cores' is well below their lanes shared the machine: compare their ratios, not frames/h" : ""))
        }
        out.append(" envs lanes         frames/h  95% CI of the median     frames/s  ceiling f/s   ratio  95% CI          cores")
        for c in cells {
            out.append(Format.pad(String(c.envs), 5) + Format.pad(String(c.lanes), 6)
                       + Format.pad(Format.grouped(c.framesPerHour.median), 17) + "  "
                       + Format.pad("[\(Format.grouped(c.framesPerHour.ciLow)) – \(Format.grouped(c.framesPerHour.ciHigh))]", 23, left: true)
                       + Format.pad(Format.fixed(c.framesPerSecond.median, 1), 9)
                       + Format.pad(Format.fixed(c.ceilingFramesPerSecond.median, 1), 13)
                       + Format.pad(Format.fixed(c.ratio.median, 3), 8)
                       + Format.pad("  [\(Format.fixed(c.ratio.ciLow, 3))–\(Format.fixed(c.ratio.ciHigh, 3))]", 17, left: true)
                       + Format.pad(c.coresUsed.map { Format.fixed($0.median, 2) } ?? "–", 6)
                       + (c.effectiveEnvs < c.envs ? "  (\(c.effectiveEnvs) episodes in flight)" : ""))
        }
        out.append("")
        let parts = stages.names.map { n -> String in
            "\(n) \(Format.fixed(stages.msPerFrame[n] ?? 0, 2)) (\(Format.percent(stages.share[n] ?? 0)))"
        }
        out.append("stages (\(referenceCell)), lane-ms per frame: " + parts.joined(separator: ", ")
                   + "; wall \(Format.fixed(stages.wallMsPerFrame, 2)) ms per frame")
        if let l = laneScaling {
            let rows = l.lanes.indices.filter { l.lanes[$0] != l.baseLanes }.map { i in
                "\(l.lanes[i]) lanes: speedup \(Format.fixed(l.speedup[i], 2)), efficiency \(Format.percent(l.efficiency[i])); "
                    + "ceiling speedup \(Format.fixed(l.ceilingSpeedup[i], 2)); relative to the ceiling \(Format.fixed(l.relativeEfficiency[i], 2))"
            }
            out.append("lane scaling (envs \(l.envs), vs \(l.baseLanes) lane\(l.baseLanes == 1 ? "" : "s")): " + rows.joined(separator: "; "))
        }
        if let mem = memory {
            let points = zip(mem.envs, mem.peakRSSBytes).map { "envs \($0): \(Format.bytes($1.median))" }.joined(separator: ", ")
            out.append("memory (peak RSS of child processes, \(mem.lanes) lanes): \(points) → \(Format.bytes(mem.bytesPerEnv)) per env + "
                       + "\(Format.bytes(mem.fixedBytes)) fixed" + (mem.r2.map { " (R² \(Format.fixed($0, 4)))" } ?? ""))
            if let w = mem.warning { out.append("warning: memory: " + w) }
        }
        let e = encodeCeiling
        out.append("encode ceiling (\(e.lanes) threads, same frames): \(Format.fixed(e.framesPerSecond, 1)) frames/s; "
                   + "generator at \(Format.fixed(e.ratio, 3)) of it [\(Format.fixed(e.ratioCILow, 3))–\(Format.fixed(e.ratioCIHigh, 3))]")
        if let settings = e.settings {
            let kinds = ["rgb", "depth", "mask"].compactMap { k in settings[k].map { "\(k) \($0)" } }
            out.append("  ceiling's encoders (fastest with frames ≤ \(Format.fixed(e.sizeBand ?? 0, 2))× the smallest): " + kinds.joined(separator: ", "))
        }
        if let f = e.libraryFramesPerSecond, let r = e.libraryRatio {
            let kinds = ["rgb", "depth", "mask"].compactMap { k in e.librarySettings?[k].map { "\(k) \($0)" } }
            out.append("  the best of the libraries alone (\(kinds.joined(separator: ", "))): \(Format.fixed(f, 1)) frames/s; "
                       + "generator at \(Format.fixed(r, 3)) of it")
        }
        if let f = e.generatorSettingsFramesPerSecond, let r = e.generatorSettingsRatio {
            out.append("  the generator's own settings, encode only: \(Format.fixed(f, 1)) frames/s; generator at \(Format.fixed(r, 3)) of it")
        }
        if let f = e.libpngFormat1FramesPerSecond, let r = e.libpngFormat1Ratio {
            out.append("  libpng at format 1's settings (the former ceiling): \(Format.fixed(f, 1)) frames/s; generator at \(Format.fixed(r, 3)) of it")
        }
        out.append("bytes per frame: \(Format.bytes(extrapolations.bytesPerFrame))")
        out.append("objectives:")
        for o in extrapolations.objectives {
            var bound = ""
            switch (o.low, o.high) {
            case let (l?, h?): bound = " (expected \(o.unit == "bytes" ? Format.bytes(l) : Format.grouped(l))–\(o.unit == "bytes" ? Format.bytes(h) : Format.grouped(h)))"
            case let (nil, h?): bound = " (limit \(o.unit == "seconds" ? Format.duration(h) : Format.grouped(h)))"
            case let (l?, nil): bound = " (at least \(Format.grouped(l)))"
            case (nil, nil): bound = ""
            }
            let verdict = o.low == nil && o.high == nil ? "  -- " : (o.pass ? "  PASS" : "  FAIL")
            out.append("\(verdict) \(o.description): \(Format.objectiveValue(o))\(bound) from \(o.cell)" + (o.note.map { " [\($0)]" } ?? ""))
        }
        return out.joined(separator: "\n")
    }
}
