import DatasetFormat
import Foundation
import Randomization
import Stats

/// Per-parameter checks on the scanned columns: value problems, frozen parameters, declared constants,
/// goodness of fit of every component (KS + Anderson–Darling, or chi-square), and independence between the
/// components of a vector.
enum ParameterChecks {
    /// The declared distribution of a continuous parameter as a null hypothesis: uniform, or a normal
    /// truncated to the domain.
    static func continuous(_ p: DeclaredParameter) -> ContinuousDistribution? {
        switch p.distribution {
        case .uniform(let a, let b): return .uniform(min: a, max: b)
        case .normal(let m, let s):
            let lo = p.domain?.lowerBound ?? -.infinity, hi = p.domain?.upperBound ?? .infinity
            let base = ContinuousDistribution.normal(mean: m, sd: s)
            let cLo = lo.isFinite ? base.cdf(lo) : 0
            let sHi = hi.isFinite ? base.sf(hi) : 0
            let mass = 1 - cLo - sHi
            guard mass > 1e-300 else { return nil }
            return .custom(name: "normal(\(fmt(m)), \(fmt(s))) truncated to [\(fmt(lo)), \(fmt(hi))]") { x in
                if x <= lo { return 0 }
                if x >= hi { return 1 }
                return min(max((base.cdf(x) - cLo) / mass, 0), 1)
            }
        default: return nil
        }
    }

    static func run(_ scan: LogScan, into checks: inout [AuditCheck]) {
        for p in scan.params {
            let spec = p.spec
            let level = p.itemized ? "item" : spec.scope.rawValue
            let units = spec.scope == .frame ? scan.frameIds.count : scan.episodeIds.count
            let unitName = spec.scope == .frame ? "frames" : "episodes"
            // values
            var problems: [String] = []
            if p.missing > 0 { problems.append("missing in \(p.missing) \(unitName)") }
            if p.nonFinite > 0 { problems.append("null or non-finite values in \(p.nonFinite) \(unitName)") }
            if p.wrongType > 0 { problems.append("wrong value type in \(p.wrongType) \(unitName)") }
            if p.wrongShape > 0 { problems.append("wrong shape in \(p.wrongShape) \(unitName)") }
            if p.outOfRange > 0 { problems.append("out-of-range values in \(p.outOfRange) \(unitName)") }
            if p.inconsistent > 0 { problems.append("changes within an episode in \(p.inconsistent) frames") }
            let observed = p.minSeen <= p.maxSeen && p.categories.isEmpty ? "; observed \(fmt(p.minSeen))–\(fmt(p.maxSeen))" : ""
            if problems.isEmpty {
                checks.append(AuditCheck(id: "values:\(spec.name)", kind: "values", parameters: [spec.name], level: spec.scope.rawValue,
                                         n: units, statistic: 0, verdict: .pass,
                                         message: "finite, well-shaped, within the declared \(spec.distribution.text)\(observed)"))
            } else {
                let bad = p.missing + p.nonFinite + p.wrongType + p.wrongShape + p.outOfRange + p.inconsistent
                checks.append(AuditCheck(id: "values:\(spec.name)", kind: "values", parameters: [spec.name], level: spec.scope.rawValue,
                                         n: units, statistic: Double(bad), verdict: .fail,
                                         message: problems.joined(separator: "; ") + observed + " (" + p.notes.joined(separator: "; ") + ")"))
            }

            guard spec.distribution.isRandom else {
                let values = p.columns.flatMap { $0 }
                if p.notConstant > 0 {
                    checks.append(AuditCheck(id: "constant:\(spec.name)", kind: "constant", parameters: [spec.name], level: level,
                                             n: values.count, statistic: Double(p.notConstant), verdict: .fail,
                                             message: "declared \(spec.distribution.text) but \(p.notConstant) \(unitName) differ (\(p.notes.joined(separator: "; ")))"))
                } else {
                    checks.append(AuditCheck(id: "constant:\(spec.name)", kind: "constant", parameters: [spec.name], level: level,
                                             n: values.count, statistic: 0, verdict: .pass,
                                             message: "every value equals the declared \(spec.distribution.text)"))
                }
                continue
            }

            // varies: a randomized parameter whose values never change
            var frozen: [String] = []
            var enough = false
            var n0 = 0
            for (c, column) in p.columns.enumerated() {
                let finite = column.filter { $0.isFinite }
                n0 = max(n0, finite.count)
                guard finite.count >= 2 else { continue }
                enough = true
                if finite.allSatisfy({ $0 == finite[0] }) {
                    let v = p.categories.isEmpty ? fmt(finite[0]) : (finite[0] >= 0 ? p.categories[Int(finite[0])] : "?")
                    frozen.append("\(spec.label(c)) = \(v)")
                }
            }
            if !enough {
                checks.append(AuditCheck(id: "varies:\(spec.name)", kind: "varies", parameters: [spec.name], level: level, n: n0,
                                         verdict: .skipped, message: "fewer than 2 values"))
            } else if frozen.isEmpty {
                checks.append(AuditCheck(id: "varies:\(spec.name)", kind: "varies", parameters: [spec.name], level: level, n: n0,
                                         verdict: .pass, message: "changes across \(level)s"))
            } else {
                checks.append(AuditCheck(id: "varies:\(spec.name)", kind: "varies", parameters: [spec.name], level: level, n: n0,
                                         statistic: 0, verdict: .fail,
                                         message: "declared \(spec.distribution.text) but never changes: \(frozen.joined(separator: ", "))"))
            }

            // goodness of fit per component
            for c in 0..<spec.components {
                let label = spec.label(c)
                let values = p.columns[c].filter { $0.isFinite }
                fit(spec, label: label, values: values, level: level, into: &checks)
            }

            // independence between components (pairwise)
            if spec.components >= 2 {
                for a in 0..<spec.components {
                    for b in (a + 1)..<spec.components {
                        var x: [Double] = [], y: [Double] = []
                        let ca = p.columns[a], cb = p.columns[b]
                        for i in 0..<min(ca.count, cb.count) where ca[i].isFinite && cb[i].isFinite {
                            x.append(ca[i]); y.append(cb[i])
                        }
                        let id = "components:\(spec.label(a))~\(spec.label(b))"
                        checks.append(spearmanCheck(id: id, kind: "components", parameters: [spec.label(a), spec.label(b)],
                                                    level: level, x, y))
                    }
                }
            }
        }
    }

    static func fit(_ spec: DeclaredParameter, label: String, values: [Double], level: String, into checks: inout [AuditCheck]) {
        switch spec.distribution {
        case .uniform, .normal:
            guard let dist = continuous(spec) else { return }
            guard values.count >= 5 else {
                for kind in ["ks", "anderson-darling"] {
                    checks.append(AuditCheck(id: "\(kind):\(label)", kind: kind, parameters: [label], level: level, n: values.count,
                                             verdict: .skipped, message: "fewer than 5 values"))
                }
                return
            }
            do {
                let ks = try Stats.kolmogorovSmirnov(values, against: dist)
                checks.append(AuditCheck(id: "ks:\(label)", kind: "ks", parameters: [label], level: level, n: values.count,
                                         statistic: ks.statistic, pValue: ks.pValue, effectSize: ks.statistic, inFamily: true,
                                         verdict: .pass, message: "Kolmogorov–Smirnov against \(spec.distribution.text) (D = sup |F_n − F|)"))
            } catch {
                checks.append(AuditCheck(id: "ks:\(label)", kind: "ks", parameters: [label], level: level, n: values.count,
                                         verdict: .skipped, message: "not computable: \(error)"))
            }
            do {
                let ad = try Stats.andersonDarling(values, against: dist)
                checks.append(AuditCheck(id: "anderson-darling:\(label)", kind: "anderson-darling", parameters: [label], level: level,
                                         n: values.count, statistic: ad.statistic, pValue: ad.pValue, inFamily: true,
                                         verdict: .pass, message: "Anderson–Darling A² against \(spec.distribution.text)"))
            } catch {
                checks.append(AuditCheck(id: "anderson-darling:\(label)", kind: "anderson-darling", parameters: [label], level: level,
                                         n: values.count, verdict: .skipped, message: "not computable: \(error)"))
            }
        case .integer(let lo, let hi):
            let ints = values.compactMap { x -> Int? in
                guard x == x.rounded(), x >= Double(lo), x <= Double(hi) else { return nil }
                return Int(x)
            }
            chiSquare(label: label, level: level, values: ints, against: .uniform(lo: lo, hi: hi),
                      what: spec.distribution.text, into: &checks)
        case .choice(_, let weights):
            let codes = values.compactMap { x -> Int? in x >= 0 && Int(x) < weights.count ? Int(x) : nil }
            chiSquare(label: label, level: level, values: codes, against: .categorical(weights: weights),
                      what: spec.distribution.text, into: &checks)
        case .constant:
            break
        }
    }

    static func chiSquare(label: String, level: String, values: [Int], against d: DiscreteDistribution, what: String,
                          into checks: inout [AuditCheck]) {
        do {
            let r = try Stats.discreteGoodnessOfFit(values, against: d, lowExpected: .poolAdjacent)
            let pooled = r.cells.count < d.support.count ? ", \(r.cells.count) cells after pooling cells with expected count < 5" : ""
            checks.append(AuditCheck(id: "chi-square:\(label)", kind: "chi-square", parameters: [label], level: level,
                                     n: values.count, statistic: r.test.statistic, pValue: r.test.pValue,
                                     effectSize: r.test.effectSize, inFamily: true, verdict: .pass,
                                     message: "Pearson chi-square against \(what) (effect: Cohen's w\(pooled))"))
        } catch {
            checks.append(AuditCheck(id: "chi-square:\(label)", kind: "chi-square", parameters: [label], level: level,
                                     n: values.count, verdict: .skipped, message: "not computable: \(error)"))
        }
    }

    /// A two-sided Spearman test of independence (a family member), skipped when undefined.
    static func spearmanCheck(id: String, kind: String, parameters: [String], level: String,
                              _ x: [Double], _ y: [Double]) -> AuditCheck {
        guard x.count >= 3 else {
            return AuditCheck(id: id, kind: kind, parameters: parameters, level: level, n: x.count, verdict: .skipped,
                              message: "fewer than 3 paired values")
        }
        do {
            let r = try Stats.spearman(x, y)
            return AuditCheck(id: id, kind: kind, parameters: parameters, level: level, n: x.count, statistic: r.statistic,
                              pValue: r.pValue, effectSize: r.statistic, inFamily: true, verdict: .pass,
                              message: "Spearman ρ, two-sided test of independence")
        } catch {
            return AuditCheck(id: id, kind: kind, parameters: parameters, level: level, n: x.count, verdict: .skipped,
                              message: "not computable: \(error)")
        }
    }
}
