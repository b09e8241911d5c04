import Foundation

extension Stats {
    /// Ranks 1...n with ties given their average rank (scipy `rankdata(method='average')`), plus
    /// the size of every tie group (including groups of size 1), in increasing value order.
    /// Exact (ranks are integers or halves); O(n log n). Values must not be NaN.
    public static func averageRanks(_ values: [Double]) -> (ranks: [Double], tieGroupSizes: [Int]) {
        let n = values.count
        let order = values.indices.sorted { values[$0] < values[$1] }
        var ranks = [Double](repeating: 0, count: n)
        var groups: [Int] = []
        var start = 0
        while start < n {
            var end = start + 1
            while end < n && values[order[end]] == values[order[start]] { end += 1 }
            // positions start..<end (0-based) share rank ((start+1) + end) / 2
            let rank = Double(start + 1 + end) / 2
            for p in start..<end { ranks[order[p]] = rank }
            groups.append(end - start)
            start = end
        }
        return (ranks, groups)
    }

    /// Spearman's ρ of two average-rank vectors (as `averageRanks` returns them) of equal length n ≥ 3, with its
    /// two-sided p-value: t = ρ·sqrt((n−2)/((1+ρ)(1−ρ))) referred to Student t with n − 2 degrees of freedom
    /// through `studentTTwoSidedP` (|ρ| = 1 gives p = 0).
    ///
    /// For correlating many columns pairwise: each column is ranked once and each pair costs O(n) instead of two
    /// sorts. ρ has the same arithmetic as `spearman` (bit-identical); the p-value agrees with `spearman`'s (GSL)
    /// and scipy's to 1e-9 relative. Preconditions (not checked, for speed): equal lengths ≥ 3, no constant vector.
    public static func rankCorrelation(ranks rx: [Double], _ ry: [Double]) -> (rho: Double, pValue: Double) {
        let (rho, t, dof) = rankRho(rx, ry)
        if t.isInfinite { return (rho, 0) }
        return (rho, studentTTwoSidedP(t, degreesOfFreedom: dof))
    }

    /// ρ of two rank vectors (1...n, ties averaged) and its t statistic with n − 2 degrees of freedom. Same
    /// operation order as numpy.corrcoef (covariance / sd_x / sd_y), so that rounding (e.g.
    /// 0.9999999999999998 instead of 1 for a perfect monotone relation) matches scipy.
    static func rankRho(_ rx: [Double], _ ry: [Double]) -> (rho: Double, t: Double, dof: Double) {
        let n = rx.count
        let mean = Double(n + 1) / 2
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        rx.withUnsafeBufferPointer { x in
            ry.withUnsafeBufferPointer { y in
                for i in 0..<n {
                    let dx = x[i] - mean, dy = y[i] - mean
                    sxy += dx * dy
                    sxx += dx * dx
                    syy += dy * dy
                }
            }
        }
        let d = Double(n - 1)
        let cxy = sxy / d, cxx = sxx / d, cyy = syy / d
        let rho = min(max(cxy / cxx.squareRoot() / cyy.squareRoot(), -1), 1)
        let dof = Double(n - 2)
        return (rho, rho * max(dof / ((rho + 1) * (1 - rho)), 0).squareRoot(), dof)
    }

    /// Spearman rank correlation with its significance test (scipy `spearmanr`).
    ///
    /// Statistic: ρ, the Pearson correlation of the average ranks (ties averaged); also returned
    /// as `effectSize`. p-value: t = ρ·sqrt((n−2)/((1+ρ)(1−ρ))) referred to Student t with n−2
    /// degrees of freedom (as scipy; |ρ| = 1 exactly gives p = 0). The t reference is an approximation
    /// for small n (no exact permutation distribution is computed).
    ///
    /// Requires equal lengths and n ≥ 3; a constant input throws `StatsError.constantInput`.
    /// Agreement with scipy 1.17: ρ to 1e-12, p-value to 1e-10 relative.
    public static func spearman(_ x: [Double], _ y: [Double], alternative: Alternative = .twoSided) throws -> TestResult {
        try requireFinite(x, "x", minCount: 3)
        try requireFinite(y, "y", minCount: 3)
        guard x.count == y.count else {
            throw StatsError.invalidArgument("x has \(x.count) values but y has \(y.count)")
        }
        if x.allSatisfy({ $0 == x[0] }) { throw StatsError.constantInput("x") }
        if y.allSatisfy({ $0 == y[0] }) { throw StatsError.constantInput("y") }
        let (rho, t, dof) = rankRho(averageRanks(x).ranks, averageRanks(y).ranks)
        let p: Double
        if t.isInfinite {
            switch alternative {
            case .twoSided: p = 0
            case .greater: p = t > 0 ? 0 : 1
            case .less: p = t < 0 ? 0 : 1
            }
        } else {
            p = try pValue(alternative: alternative,
                           upper: { try GSL.tQ(t, nu: dof) }, lower: { try GSL.tP(t, nu: dof) })
        }
        return TestResult(statistic: rho, pValue: p, effectSize: rho, degreesOfFreedom: dof,
                          method: TestMethod(test: "Spearman rank correlation", pValue: .approximate,
                                             detail: "Student t with n − 2 df (scipy)"))
    }

    /// How to compute the Mann–Whitney p-value.
    public enum MannWhitneyMethod: String, Sendable, Hashable {
        /// As scipy: `.exact` when there are no ties and min(n₁, n₂) ≤ 8, else `.asymptotic`.
        case auto
        /// Exact null distribution of U. Only without ties and while min(n₁,n₂)·n₁n₂/2 ≤ 2·10⁸;
        /// otherwise the asymptotic method is used and reported in the result's `method`.
        case exact
        /// Normal approximation with tie correction (and continuity correction if requested).
        case asymptotic
    }

    /// Mann–Whitney U test (Wilcoxon rank-sum) for two independent samples (scipy `mannwhitneyu`).
    ///
    /// Statistic: U₁ = R₁ − n₁(n₁+1)/2 for the first sample (R₁ its rank sum, ties averaged), as
    /// scipy reports. `effectSize` is the rank-biserial correlation 2U₁/(n₁n₂) − 1 (positive when
    /// the first sample tends to be larger). `.greater` means the first sample is stochastically
    /// larger.
    ///
    /// p-value: `.exact` enumerates the null distribution of U via the Gaussian-binomial
    /// generating function (probabilities kept normalised, O(min(n₁,n₂)·n₁n₂)); `.asymptotic`
    /// uses z = (U − n₁n₂/2 − 0.5·[continuity]) / σ with the tie-corrected
    /// σ² = n₁n₂/12 · ((n+1) − Σ(t³−t)/(n(n−1))), exactly as scipy. Two-sided p-values are twice
    /// the one-sided tail at max(U₁, U₂), clipped to 1.
    /// Assumptions: independent samples, observations within each sample i.i.d.
    /// Agreement with scipy 1.17: statistic exact, p-value 1e-10 relative.
    public static func mannWhitneyU(_ x: [Double], _ y: [Double], alternative: Alternative = .twoSided,
                                    method: MannWhitneyMethod = .auto,
                                    continuityCorrection: Bool = true) throws -> TestResult {
        try requireFinite(x, "x")
        try requireFinite(y, "y")
        let n1 = x.count, n2 = y.count
        let (ranks, ties) = averageRanks(x + y)
        var r1 = 0.0
        for i in 0..<n1 { r1 += ranks[i] }
        let n1d = Double(n1), n2d = Double(n2)
        let u1 = r1 - n1d * (n1d + 1) / 2
        let u2 = n1d * n2d - u1
        let hasTies = ties.contains { $0 > 1 }
        let u: Double, factor: Double
        switch alternative {
        case .greater: (u, factor) = (u1, 1)
        case .less: (u, factor) = (u2, 1)
        case .twoSided: (u, factor) = (max(u1, u2), 2)
        }
        var useExact: Bool
        switch method {
        case .auto: useExact = !(n1 > 8 && n2 > 8) && !hasTies
        case .exact: useExact = !hasTies
        case .asymptotic: useExact = false
        }
        // The exact distribution costs about min(n1, n2) · n1·n2/2 operations; beyond the cap the
        // normal approximation is excellent anyway.
        if useExact && Double(min(n1, n2)) * (n1d * n2d / 2 + 1) > Self.mannWhitneyExactCostLimit {
            useExact = false
        }
        let effect = 2 * u1 / (n1d * n2d) - 1
        let test = "Mann–Whitney U"
        if useExact {
            let sf = mannWhitneyExactSF(u: Int(u), n1: n1, n2: n2)
            return TestResult(statistic: u1, pValue: clip01(sf * factor), effectSize: effect,
                              method: TestMethod(test: test, pValue: .exact,
                                                 detail: "exact null distribution of U (no ties)"))
        }
        let n = n1d + n2d
        var tieTerm = 0.0
        for t in ties where t > 1 { let td = Double(t); tieTerm += td * td * td - td }
        let s = (n1d * n2d / 12 * ((n + 1) - tieTerm / (n * (n - 1)))).squareRoot()
        var numerator = u - n1d * n2d / 2
        if continuityCorrection { numerator -= 0.5 }
        guard s > 0, s.isFinite else {
            // All observations tied: the statistic carries no information.
            throw StatsError.constantInput("pooled sample")
        }
        let p = GSL.normalQ(numerator / s)
        return TestResult(statistic: u1, pValue: clip01(p * factor), effectSize: effect,
                          method: TestMethod(test: test, pValue: .asymptotic,
                                             detail: continuityCorrection
                                                ? "normal, tie and continuity corrected"
                                                : "normal, tie corrected"))
    }

    /// Above this many operations the exact Mann–Whitney distribution is not computed.
    static let mannWhitneyExactCostLimit = 2e8

    /// P(U ≥ u) under H0 without ties, using symmetry P(U ≥ u) = P(U ≤ n₁n₂ − u).
    static func mannWhitneyExactSF(u: Int, n1: Int, n2: Int) -> Double {
        let mn = n1 * n2
        if u <= 0 { return 1 }
        if u > mn { return 0 }
        let k = mn - u  // P(U >= u) = P(U <= k)
        if k >= u {
            // u is at or below the centre: P(U >= u) = 1 - P(U <= u - 1)
            let pmf = mannWhitneyPMF(maxU: u - 1, n1: n1, n2: n2)
            return 1 - pmf.reduce(0, +)
        }
        let pmf = mannWhitneyPMF(maxU: k, n1: n1, n2: n2)
        return pmf.reduce(0, +)
    }

    /// P(U = 0...maxU) for sample sizes (n1, n2) without ties: coefficients of the Gaussian
    /// binomial [n1+n2 choose n1]_q / C(n1+n2, n1), built as Π_{i=1}^{m} (1 − q^{n+i})/(1 − q^i)
    /// with m = min(n1,n2), renormalised at each step so all values stay probabilities.
    static func mannWhitneyPMF(maxU: Int, n1: Int, n2: Int) -> [Double] {
        let m = min(n1, n2), n = max(n1, n2)
        var p = [Double](repeating: 0, count: maxU + 1)
        p[0] = 1
        for i in stride(from: 1, through: m, by: 1) {
            // divide by (1 - q^i): running sum with stride i
            if i <= maxU { for u in i...maxU { p[u] += p[u - i] } }
            // multiply by (1 - q^(n+i)), from the top down so p[u - n - i] is still the old value
            let shift = n + i
            if shift <= maxU {
                for u in stride(from: maxU, through: shift, by: -1) { p[u] -= p[u - shift] }
            }
            // normalise: the total mass grew by C(n+i, i)/C(n+i-1, i-1) = (n+i)/i
            let scale = Double(i) / Double(n + i)
            for u in 0...maxU { p[u] *= scale }
        }
        return p
    }
}
