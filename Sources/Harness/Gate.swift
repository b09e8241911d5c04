import BenchFormat
import Foundation
import Stats
import Support

/// `synthbench gate`: is the candidate's bench worse than the baseline's?
///
/// Per metric, with b and c the two runs' per-repeat samples and Δ the relative change of the medians in the
/// metric's bad direction:
///   regression   one-sided Mann–Whitney U (c worse than b) gives p < alpha AND Δ > max regression;
///   improvement  the same in the good direction;
///   unchanged    otherwise (the note says whether the difference was significant but small, or large but
///                not significant).
/// When the sample counts cannot reach alpha at all (1/C(n1+n2, n1) ≥ alpha, e.g. 3 repeats a side), the test is
/// dropped and the medians decide alone: regression when Δ > max regression (what asv does with few samples).
/// A hardware-dependent metric (frames/hour, lane efficiency, bytes per env) is only gated when both runs come
/// from the same hardware and `ratiosOnly` is off; ratios (generator ÷ encode ceiling, lane scaling ÷ the
/// ceiling's own scaling) are gated always.
public enum Gate {
    public struct Options: Sendable {
        /// Relative change in the bad direction that counts as material (0.05 = 5 %).
        public var maxRegression: Double = 0.05
        /// Significance level of each one-sided test.
        public var alpha: Double = 0.002
        /// Gate only the hardware-independent ratios (as when the machines differ).
        public var ratiosOnly = false
        public init(maxRegression: Double = 0.05, alpha: Double = 0.002, ratiosOnly: Bool = false) {
            self.maxRegression = maxRegression; self.alpha = alpha; self.ratiosOnly = ratiosOnly
        }
    }

    public enum Verdict: String, Codable, Sendable {
        case regression, improvement, unchanged
        case notGated = "not_gated"
    }

    public struct Row: Codable, Equatable, Sendable {
        public var metric: String
        public var hardwareIndependent: Bool
        public var higherIsBetter: Bool
        public var baselineMedian: Double
        public var candidateMedian: Double
        /// (candidate − baseline) ÷ |baseline| of the medians.
        public var change: Double
        /// One-sided p-value that the candidate is worse (for a regression) or better.
        public var pWorse: Double?
        public var pBetter: Double?
        public var baselineSamples: Int
        public var candidateSamples: Int
        public var verdict: Verdict
        public var note: String?

        enum CodingKeys: String, CodingKey {
            case metric, hardwareIndependent = "hardware_independent", higherIsBetter = "higher_is_better"
            case baselineMedian = "baseline_median", candidateMedian = "candidate_median", change
            case pWorse = "p_worse", pBetter = "p_better", baselineSamples = "baseline_samples"
            case candidateSamples = "candidate_samples", verdict, note
        }
    }

    public struct Report: Codable, Equatable, Sendable {
        public var baseline: String
        public var candidate: String
        public var maxRegression: Double
        public var alpha: Double
        public var sameHardware: Bool
        public var ratiosOnly: Bool
        public var warnings: [String]
        public var rows: [Row]

        enum CodingKeys: String, CodingKey {
            case baseline, candidate, maxRegression = "max_regression", alpha, sameHardware = "same_hardware"
            case ratiosOnly = "ratios_only", warnings, rows
        }

        public func count(_ v: Verdict) -> Int { rows.filter { $0.verdict == v }.count }
        /// 1 when any metric regressed, else 0.
        public var exitCode: Int32 { count(.regression) > 0 ? 1 : 0 }

        public func json() throws -> String {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            return String(decoding: try encoder.encode(self), as: UTF8.self)
        }

        public func text() -> String {
            var out = ["gate: baseline \(baseline) vs candidate \(candidate); regression = one-sided Mann–Whitney p < \(alpha) "
                       + "and worse by more than \(Format.percent(maxRegression, 1))"
                       + (ratiosOnly ? "; hardware-independent ratios only" : "")]
            let width = max(6, rows.map(\.metric.count).max() ?? 0)
            out.append(Format.pad("metric", width, left: true) + "      baseline     candidate   change   p(worse)  verdict")
            for r in rows {
                let p = r.pWorse.map { $0 < 1e-4 ? String(format: "%.1e", $0) : String(format: "%.4f", $0) } ?? "–"
                out.append(Format.pad(r.metric, width, left: true) + Format.pad(Self.value(r.baselineMedian), 14)
                           + Format.pad(Self.value(r.candidateMedian), 14) + Format.pad(Format.signedPercent(r.change), 9)
                           + Format.pad(p, 11) + "  " + r.verdict.rawValue.uppercased().replacingOccurrences(of: "_", with: " ")
                           + (r.note.map { "  (\($0))" } ?? ""))
            }
            out.append("\(count(.regression)) regressed, \(count(.improvement)) improved, \(count(.unchanged)) unchanged, "
                       + "\(count(.notGated)) not gated")
            return out.joined(separator: "\n")
        }

        static func value(_ x: Double) -> String {
            abs(x) >= 1000 ? Format.grouped(x) : String(format: "%.4g", x)
        }
    }

    /// A metric's samples in one result.
    struct Metric {
        var name: String
        var independent: Bool
        var higherIsBetter: Bool
        var samples: [Double]
    }

    static func metrics(_ r: BenchResult) -> [String: Metric] {
        var out: [String: Metric] = [:]
        func add(_ name: String, _ independent: Bool, _ higher: Bool, _ samples: [Double]) {
            out[name] = Metric(name: name, independent: independent, higherIsBetter: higher, samples: samples)
        }
        for c in r.cells {
            add("ratio[envs=\(c.envs),lanes=\(c.lanes)]", true, true, c.ratio.samples)
            add("frames_per_hour[envs=\(c.envs),lanes=\(c.lanes)]", false, true, c.framesPerHour.samples)
        }
        if let l = r.laneScaling {
            for (i, lanes) in l.lanes.enumerated() where lanes != l.baseLanes {
                add("lane_efficiency_vs_ceiling[envs=\(l.envs),lanes=\(lanes)]", true, true, l.relativeEfficiencySamples[i])
                add("lane_efficiency[envs=\(l.envs),lanes=\(lanes)]", false, true, l.efficiencySamples[i])
            }
        }
        if let m = r.memory, !m.bytesPerEnvSamples.isEmpty {
            add("memory.bytes_per_env", false, false, m.bytesPerEnvSamples)
        }
        return out
    }

    /// Metric display order: ratios first, then by name.
    static func order(_ a: Metric, _ b: Metric) -> Bool {
        a.independent != b.independent ? a.independent : a.name < b.name
    }

    /// Compares two results. Throws `ResultFileError` (naming the candidate file and field) when they cannot be
    /// compared: a different config.
    public static func evaluate(baseline: BenchResult, candidate: BenchResult, baselineFile: String, candidateFile: String,
                                options: Options = Options()) throws -> Report {
        guard baseline.run.configHash == candidate.run.configHash else {
            throw ResultFileError(file: candidateFile, field: "run.config_hash",
                                  message: "config \(candidate.run.configHash.prefix(12)) (\(candidate.run.configSource)) differs from "
                                  + "the baseline's \(baseline.run.configHash.prefix(12)) (\(baseline.run.configSource)) in \(baselineFile); "
                                  + "results of different configs are not comparable")
        }
        var warnings: [String] = []
        let sameHardware = baseline.machine.sameHardware(as: candidate.machine)
        if !sameHardware {
            warnings.append("machine fingerprints differ (baseline: \(baseline.machine.cpuModel), \(baseline.machine.cores) cores, "
                            + "\(Format.bytes(Double(baseline.machine.memoryBytes))); candidate: \(candidate.machine.cpuModel), "
                            + "\(candidate.machine.cores) cores, \(Format.bytes(Double(candidate.machine.memoryBytes)))): "
                            + "only hardware-independent ratios are gated")
        }
        let software = candidate.machine.softwareDifferences(from: baseline.machine)
        if !software.isEmpty { warnings.append("software differs: " + software.joined(separator: "; ")) }
        if baseline.run.build != candidate.run.build {
            warnings.append("build differs: baseline \(baseline.run.build), candidate \(candidate.run.build)")
        } else if candidate.run.build != "release" {
            warnings.append("\(candidate.run.build) builds: figures do not represent release performance")
        }
        if baseline.run.frames != candidate.run.frames {
            warnings.append("frames per run differ (baseline \(baseline.run.frames), candidate \(candidate.run.frames))")
        }
        if baseline.run.seed != candidate.run.seed {
            warnings.append("seeds differ (baseline \(baseline.run.seed), candidate \(candidate.run.seed))")
        }
        let gateDependent = sameHardware && !options.ratiosOnly
        let b = metrics(baseline), c = metrics(candidate)
        for name in Set(b.keys).symmetricDifference(c.keys).sorted() {
            warnings.append("\(name) is only in the \(b[name] != nil ? "baseline" : "candidate"); not compared")
        }
        var rows: [Row] = []
        for name in Set(b.keys).intersection(c.keys).sorted(by: { order(b[$0]!, b[$1]!) }) {
            rows.append(decide(b[name]!, c[name]!, options: options, gated: b[name]!.independent || gateDependent,
                               why: sameHardware ? "ratios only" : "hardware differs"))
        }
        let powerless = rows.filter { $0.verdict != .notGated && smallestPValue($0.baselineSamples, $0.candidateSamples) >= options.alpha }
        if !powerless.isEmpty {
            warnings.append("\(powerless.count) metric\(powerless.count == 1 ? "" : "s") with too few repeats to reach "
                            + "p < \(options.alpha): decided on the change of the medians alone (bench with --repeat "
                            + "\(repeatsNeeded(alpha: options.alpha)) or more for a significance test)")
        }
        return Report(baseline: baselineFile, candidate: candidateFile, maxRegression: options.maxRegression, alpha: options.alpha,
                      sameHardware: sameHardware, ratiosOnly: options.ratiosOnly || !sameHardware, warnings: warnings, rows: rows)
    }

    static func decide(_ b: Metric, _ c: Metric, options: Options, gated: Bool, why: String) -> Row {
        let mb = Stats.median(b.samples), mc = Stats.median(c.samples)
        let change = mb != 0 ? (mc - mb) / abs(mb) : 0
        let worse = b.higherIsBetter ? -change : change
        var row = Row(metric: b.name, hardwareIndependent: b.independent, higherIsBetter: b.higherIsBetter, baselineMedian: mb,
                      candidateMedian: mc, change: change, pWorse: nil, pBetter: nil, baselineSamples: b.samples.count,
                      candidateSamples: c.samples.count, verdict: .unchanged, note: nil)
        guard gated else { row.verdict = .notGated; row.note = why; return row }
        // "Candidate worse" = baseline stochastically greater for a higher-is-better metric.
        let worseAlt: Alternative = b.higherIsBetter ? .greater : .less
        let betterAlt: Alternative = b.higherIsBetter ? .less : .greater
        row.pWorse = pValue(b.samples, c.samples, worseAlt)
        row.pBetter = pValue(b.samples, c.samples, betterAlt)
        let floor = smallestPValue(b.samples.count, c.samples.count)
        let material = max(options.maxRegression, 0)
        if floor >= options.alpha {
            // Too few repeats for the test to ever reach alpha: decide on the medians and the threshold alone (as
            // asv does), so a large change is never waved through for want of samples.
            row.note = String(format: "%d vs %d samples cannot reach p < %g (smallest possible p %.2g): decided on the medians alone; "
                              + "bench with --repeat %d or more for a significance test",
                              b.samples.count, c.samples.count, options.alpha, floor,
                              repeatsNeeded(alpha: options.alpha))
            if worse > material { row.verdict = .regression } else if -worse > material { row.verdict = .improvement }
        } else if let p = row.pWorse, p < options.alpha, worse > material {
            row.verdict = .regression
        } else if let p = row.pBetter, p < options.alpha, -worse > material {
            row.verdict = .improvement
        } else if abs(worse) > material {
            row.note = "beyond the threshold but not significant"
        } else if min(row.pWorse ?? 1, row.pBetter ?? 1) < options.alpha {
            row.note = "significant but within the threshold"
        }
        return row
    }

    /// One-sided Mann–Whitney p-value; 1 when the test is undefined (e.g. every value equal).
    static func pValue(_ x: [Double], _ y: [Double], _ alternative: Alternative) -> Double? {
        guard !x.isEmpty, !y.isEmpty else { return nil }
        guard let r = try? Stats.mannWhitneyU(x, y, alternative: alternative), r.pValue.isFinite else { return 1 }
        return r.pValue
    }

    /// The fewest repeats per side (equal on both) with which a one-sided Mann–Whitney test can reach p < alpha.
    static func repeatsNeeded(alpha: Double) -> Int {
        var n = 1
        while n < 64 && smallestPValue(n, n) >= alpha { n += 1 }
        return n
    }

    /// The smallest one-sided p-value an exact Mann–Whitney test of n1 and n2 samples can give: 1 / C(n1+n2, n1).
    static func smallestPValue(_ n1: Int, _ n2: Int) -> Double {
        guard n1 > 0, n2 > 0 else { return 1 }
        var c = 1.0
        for i in 0..<min(n1, n2) { c = c * Double(n1 + n2 - i) / Double(i + 1) }
        return 1 / c
    }
}
