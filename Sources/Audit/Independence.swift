import DatasetFormat
import Foundation
import Randomization
import Stats

/// Pairwise independence of all scalar columns (scalar parameters and the components of fixed-size vectors;
/// categories coded by their declared order) by Spearman's ρ. Each column is ranked once; a pair's ρ is the
/// Pearson correlation of the two rank vectors (`Stats.rankCorrelation`), so a matrix of k columns costs k sorts
/// instead of k² sorts.
///
/// Two episode-scope columns are compared at episode level (one value per episode). A frame-scope column
/// is compared with any other column at frame level, an episode-scope value repeated on each frame of its
/// episode: under independence the frame-scope values are exchangeable across frames, so the test keeps its
/// level; pairs within one vector are the `components` checks instead.
enum Independence {
    struct Column {
        var label: String
        var parameter: String
        var scope: Scope
        /// Values per unit (frames or episodes).
        var values: [Double]
        var ranks: [Double] = []
        /// Ranks at frame level (episode-scope columns expanded to frames).
        var frameRanks: [Double] = []
        var complete: Bool
    }

    static func run(_ scan: LogScan, into checks: inout [AuditCheck]) {
        var columns: [Column] = []
        for p in scan.params where !p.itemized && p.spec.distribution.isRandom {
            for c in 0..<p.spec.components {
                let v = p.columns[c]
                let finite = v.filter { $0.isFinite }
                guard finite.count >= 3, !finite.allSatisfy({ $0 == finite[0] }) else { continue }
                columns.append(Column(label: p.spec.label(c), parameter: p.spec.name, scope: p.spec.scope, values: v,
                                      complete: finite.count == v.count))
            }
        }
        let rows = scan.frameIds.count
        // Rank each complete column once (twice for episode columns: per episode and per frame).
        var ranked = [(ranks: [Double], frameRanks: [Double])](repeating: ([], []), count: columns.count)
        let snapshot = columns
        let rowEpisode = scan.rowEpisode
        ranked.withUnsafeMutableBufferPointer { out in
            let base = out.baseAddress!
            DispatchQueue.concurrentPerform(iterations: snapshot.count) { i in
                let col = snapshot[i]
                guard col.complete else { return }
                let r = Stats.averageRanks(col.values).ranks
                let f = col.scope == .episode ? Stats.averageRanks(rowEpisode.map { col.values[Int($0)] }).ranks : r
                base[i] = (r, f)
            }
        }
        for i in columns.indices {
            columns[i].ranks = ranked[i].ranks
            columns[i].frameRanks = ranked[i].frameRanks
        }
        for i in columns.indices {
            for j in (i + 1)..<columns.count where columns[i].parameter != columns[j].parameter {
                let a = columns[i], b = columns[j]
                let episodeLevel = a.scope == .episode && b.scope == .episode
                let id = "independence:\(a.label)~\(b.label)"
                let level = episodeLevel ? "episode" : "frame"
                if a.complete && b.complete {
                    let ra = episodeLevel ? a.ranks : a.frameRanks
                    let rb = episodeLevel ? b.ranks : b.frameRanks
                    let (rho, p) = Stats.rankCorrelation(ranks: ra, rb)
                    checks.append(AuditCheck(id: id, kind: "independence", parameters: [a.label, b.label], level: level,
                                             n: ra.count, statistic: rho, pValue: p, effectSize: rho, inFamily: true,
                                             verdict: .pass, message: "Spearman ρ, two-sided test of independence"))
                } else {
                    // Some values are not finite (already a failed `values` check): pairwise complete cases.
                    var x: [Double] = [], y: [Double] = []
                    if episodeLevel {
                        for k in 0..<min(a.values.count, b.values.count) where a.values[k].isFinite && b.values[k].isFinite {
                            x.append(a.values[k]); y.append(b.values[k])
                        }
                    } else {
                        for r in 0..<rows {
                            let va = a.scope == .frame ? a.values[r] : a.values[Int(scan.rowEpisode[r])]
                            let vb = b.scope == .frame ? b.values[r] : b.values[Int(scan.rowEpisode[r])]
                            if va.isFinite && vb.isFinite { x.append(va); y.append(vb) }
                        }
                    }
                    checks.append(ParameterChecks.spearmanCheck(id: id, kind: "independence", parameters: [a.label, b.label],
                                                                level: level, x, y))
                }
            }
        }
    }
}
