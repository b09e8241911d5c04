import Foundation

extension Stats {
    /// How to compute a Kolmogorov–Smirnov p-value.
    public enum KSMethod: String, Sendable, Hashable {
        /// One sample: always `.exact` (as scipy). Two samples: `.exact` when both sizes are
        /// at most 10 000, otherwise `.asymptotic` (as scipy).
        case auto
        /// The exact finite-sample distribution.
        case exact
        /// The large-sample limit.
        case asymptotic
    }

    /// One-sample Kolmogorov–Smirnov test of `sample` against a fully specified continuous
    /// distribution (scipy `ks_1samp`).
    ///
    /// Statistic: D = sup|F_n − F| (two-sided), D⁺ = max(i/n − F(x₍ᵢ₎)) (`.greater`) or
    /// D⁻ = max(F(x₍ᵢ₎) − (i−1)/n) (`.less`).
    ///
    /// Assumptions: observations are i.i.d. and F is continuous with no parameters estimated from
    /// the sample (otherwise the p-value is conservative). Ties are allowed but make the test
    /// conservative.
    ///
    /// p-value: two-sided `.exact`/`.auto` uses the exact distribution of D_n evaluated as scipy
    /// `kstwo.sf` (Simard & L'Ecuyer 2011: Durbin/Marsaglia–Tsang–Wang matrix, Pomeranz recursion,
    /// Pelz–Good for large n); `.asymptotic` uses the Kolmogorov limit of sqrt(n)·D. One-sided
    /// tests use the exact Smirnov (Birnbaum–Tingey) distribution (`ksone.sf`) for either method.
    /// Agreement with scipy 1.17 (tested): statistic 1e-12 relative, p-value 1e-11 relative, also
    /// for p-values far below 1e-100. Cost O(n log n) for the sort plus at most O(n) for the p-value.
    ///
    /// Throws `StatsError.emptyInput` / `.nonFinite` for empty or non-finite samples and
    /// `StatsError.invalidArgument` when the distribution parameters are impossible.
    public static func kolmogorovSmirnov(_ sample: [Double], against distribution: ContinuousDistribution,
                                         alternative: Alternative = .twoSided,
                                         method: KSMethod = .auto) throws -> TestResult {
        try requireFinite(sample, "sample")
        try distribution.validate()
        let sorted = GSL.sorted(sample)
        let n = sorted.count
        let nd = Double(n)
        var dPlus = -Double.infinity
        var dMinus = -Double.infinity
        for i in 0..<n {
            let c = distribution.cdf(sorted[i])
            guard c.isFinite, c >= 0, c <= 1 else {
                throw StatsError.invalidArgument("CDF returned \(c) at \(sorted[i]); expected a value in [0, 1]")
            }
            let plus = Double(i + 1) / nd - c
            let minus = c - Double(i) / nd
            if plus > dPlus { dPlus = plus }
            if minus > dMinus { dMinus = minus }
        }
        let test = "Kolmogorov–Smirnov (one sample)"
        switch alternative {
        case .greater, .less:
            let d = alternative == .greater ? dPlus : dMinus
            let p = clip01(KolmogorovDistributions.oneSidedSF(n: n, x: d))
            return TestResult(statistic: d, pValue: p,
                              method: TestMethod(test: test, pValue: .exact,
                                                 detail: "Smirnov one-sided distribution (scipy ksone)"))
        case .twoSided:
            let d = dPlus > dMinus ? dPlus : dMinus
            if method == .asymptotic {
                let p = clip01(KolmogorovDistributions.limitSF(d * nd.squareRoot()))
                return TestResult(statistic: d, pValue: p,
                                  method: TestMethod(test: test, pValue: .asymptotic,
                                                     detail: "Kolmogorov limit distribution (scipy kstwobign)"))
            }
            let p = clip01(KolmogorovDistributions.twoSidedSF(n: n, x: d))
            return TestResult(statistic: d, pValue: p,
                              method: TestMethod(test: test, pValue: .exact,
                                                 detail: "Simard–L'Ecuyer evaluation of D_n (scipy kstwo)"))
        }
    }

    /// Two-sample Kolmogorov–Smirnov test, two-sided (scipy `ks_2samp`).
    ///
    /// Statistic: D = sup|F₁ − F₂| over the pooled observations (ties handled as scipy does,
    /// via right-continuous ECDFs). With the exact method D is rounded to the lattice h/lcm(n₁,n₂),
    /// exactly as scipy reports it.
    ///
    /// Assumptions: two independent i.i.d. samples from continuous distributions; with ties the
    /// p-value is conservative.
    ///
    /// p-value: `.auto` uses `.exact` when max(n₁, n₂) ≤ 10 000, else `.asymptotic` (as scipy).
    /// Exact: lattice-path counting (Hodges' inside method computing 1 − p directly, or the
    /// closed form for n₁ = n₂); if it cannot be evaluated (or lcm(n₁,n₂) ≥ 2³¹) it falls back
    /// to asymptotic, which uses `kstwo.sf(D, round(n₁n₂/(n₁+n₂)))` as scipy. The returned
    /// `method` says which was used. Agreement with scipy 1.17 (tested): statistic 1e-12, p-value
    /// 1e-11 relative.
    /// Cost: O(n log n) plus O(max(n₁,n₂)·window) for the exact p-value.
    public static func kolmogorovSmirnov(_ first: [Double], _ second: [Double],
                                         method: KSMethod = .auto) throws -> TestResult {
        try requireFinite(first, "first sample")
        try requireFinite(second, "second sample")
        let a = GSL.sorted(first), b = GSL.sorted(second)
        let n1 = a.count, n2 = b.count
        let n1d = Double(n1), n2d = Double(n2)
        // Walk the pooled values in increasing order; at each value the ECDFs count values <= it.
        var i = 0, j = 0
        var maxS = -Double.infinity, minS = Double.infinity
        while i < n1 || j < n2 {
            let value: Double
            if j >= n2 || (i < n1 && a[i] <= b[j]) { value = a[i] } else { value = b[j] }
            while i < n1 && a[i] <= value { i += 1 }
            while j < n2 && b[j] <= value { j += 1 }
            let diff = Double(i) / n1d - Double(j) / n2d
            if diff > maxS { maxS = diff }
            if diff < minS { minS = diff }
        }
        let minD = min(max(-minS, 0), 1)
        var d = minD > maxS ? minD : maxS

        let g = gcd(n1, n2)
        let n1g = n1 / g, n2g = n2 / g
        var useExact: Bool
        switch method {
        case .auto: useExact = max(n1, n2) <= 10_000
        case .exact: useExact = n1g < Int(Int32.max) / n2g
        case .asymptotic: useExact = false
        }
        let test = "Kolmogorov–Smirnov (two sample)"
        if useExact {
            let lcm = n1g * n2
            let h = Int((d * Double(lcm)).rounded(.toNearestOrEven))
            d = Double(h) / Double(lcm)
            if h == 0 {
                return TestResult(statistic: d, pValue: 1,
                                  method: TestMethod(test: test, pValue: .exact, detail: "lattice path count"))
            }
            let p = n1 == n2
                ? SmirnovTwoSample.probOutsideSquare(n: n1, h: h)
                : SmirnovTwoSample.outerProbInside(m: n1, n: n2, g: g, h: h)
            if p >= 0 && p <= 1 {
                return TestResult(statistic: d, pValue: p,
                                  method: TestMethod(test: test, pValue: .exact,
                                                     detail: n1 == n2 ? "lattice path count (equal sizes)"
                                                                      : "lattice path count (Hodges inside method)"))
            }
            useExact = false
        }
        let m = Double(max(n1, n2)), n = Double(min(n1, n2))
        let en = m * n / (m + n)
        let effectiveN = max(Int(en.rounded(.toNearestOrEven)), 1)
        let p = clip01(KolmogorovDistributions.twoSidedSF(n: effectiveN, x: d))
        return TestResult(statistic: d, pValue: p,
                          method: TestMethod(test: test, pValue: .asymptotic,
                                             detail: "kstwo at effective n = round(n1 n2 / (n1 + n2))"))
    }

    /// P(D_n ≥ d) for the two-sided one-sample KS statistic (scipy `kstwo.sf(d, n)`), n ≥ 1.
    /// Tested against scipy on a grid covering every algorithm region (n = 1 … 200 000): 1e-11
    /// relative.
    public static func kolmogorovSF(n: Int, d: Double) -> Double {
        KolmogorovDistributions.twoSidedSF(n: n, x: d)
    }

    /// P(D_n⁺ ≥ d) for the one-sided one-sample KS statistic (scipy `ksone.sf(d, n)`,
    /// `scipy.special.smirnov`). Exact Birnbaum–Tingey sum, O(n); asymptotic for n > 10⁶ (as
    /// scipy). Tested against scipy to 1e-11 relative, down to p ≈ 1e-285.
    public static func smirnovSF(n: Int, d: Double) -> Double {
        KolmogorovDistributions.oneSidedSF(n: n, x: d)
    }

    /// P(K > x) for the Kolmogorov limit distribution (scipy `kstwobign.sf`,
    /// `scipy.special.kolmogorov`): two rapidly converging theta-function series (switch at 0.82).
    /// Tested against scipy to 1e-12 relative.
    public static func kolmogorovLimitSF(_ x: Double) -> Double {
        KolmogorovDistributions.limitSF(x)
    }

    static func gcd(_ a: Int, _ b: Int) -> Int {
        var x = a, y = b
        while y != 0 { (x, y) = (y, x % y) }
        return x
    }
}
