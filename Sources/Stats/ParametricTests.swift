import Foundation

extension Stats {
    /// Welch's unequal-variance two-sample t test (scipy `ttest_ind(equal_var=False)`).
    ///
    /// Statistic: t = (x̄ − ȳ)/sqrt(s²ₓ/n₁ + s²ᵧ/n₂) with unbiased variances; degrees of freedom
    /// by Welch–Satterthwaite (returned in `degreesOfFreedom`). `effectSize` is Cohen's d with the
    /// average-variance standardiser (x̄ − ȳ)/sqrt((s²ₓ + s²ᵧ)/2). `.greater` means mean(x) > mean(y).
    ///
    /// Assumptions: independent samples from normal populations (robust to non-normality for
    /// moderate n); variances may differ. Each sample needs n ≥ 2; if both variances are zero the
    /// statistic is undefined and `StatsError.constantInput` is thrown.
    /// Accuracy: p-value from the Student t tail evaluated through GSL (incomplete beta for
    /// df ≤ 10⁴, `gsl_cdf_tdist_Q` above); agreement with scipy 1.17 to 1e-10 relative.
    public static func welchTTest(_ x: [Double], _ y: [Double], alternative: Alternative = .twoSided) throws -> TestResult {
        try requireFinite(x, "x", minCount: 2)
        try requireFinite(y, "y", minCount: 2)
        let (m1, v1) = meanAndVariance(x)
        let (m2, v2) = meanAndVariance(y)
        let n1 = Double(x.count), n2 = Double(y.count)
        let vn1 = v1 / n1, vn2 = v2 / n2
        guard vn1 + vn2 > 0 else { throw StatsError.constantInput("x and y") }
        let df = (vn1 + vn2) * (vn1 + vn2) / (vn1 * vn1 / (n1 - 1) + vn2 * vn2 / (n2 - 1))
        let t = (m1 - m2) / (vn1 + vn2).squareRoot()
        let p = try pValue(alternative: alternative,
                           upper: { try GSL.tQ(t, nu: df) }, lower: { try GSL.tP(t, nu: df) })
        let d = (m1 - m2) / ((v1 + v2) / 2).squareRoot()
        return TestResult(statistic: t, pValue: p, effectSize: d, degreesOfFreedom: df,
                          method: TestMethod(test: "Welch t", pValue: .exact,
                                             detail: "Student t with Welch–Satterthwaite df"))
    }

    /// Mean and unbiased variance (two-pass).
    static func meanAndVariance(_ values: [Double]) -> (mean: Double, variance: Double) {
        let n = Double(values.count)
        let mean = values.reduce(0, +) / n
        var ss = 0.0
        for v in values { ss += (v - mean) * (v - mean) }
        return (mean, ss / (n - 1))
    }

    /// Two-proportion z test with pooled variance (statsmodels `proportions_ztest` with two
    /// samples and `value=0`).
    ///
    /// Statistic: z = (p̂₁ − p̂₂)/sqrt(p̄(1 − p̄)(1/n₁ + 1/n₂)), p̄ the pooled proportion.
    /// `effectSize` is p̂₁ − p̂₂. `.greater` means p₁ > p₂.
    ///
    /// Assumptions: independent binomial samples, large enough for the normal approximation
    /// (rule of thumb: n·p̂ and n·(1−p̂) ≥ 5 in each group). If the pooled proportion is 0 or 1
    /// the statistic is undefined and `StatsError.constantInput` is thrown.
    /// Accuracy: checked against the closed form with scipy's `norm.sf`, 1e-10 relative.
    public static func twoProportionZTest(successes1: Int, trials1: Int, successes2: Int, trials2: Int,
                                          alternative: Alternative = .twoSided) throws -> TestResult {
        guard trials1 > 0, trials2 > 0 else { throw StatsError.emptyInput("trials") }
        guard (0...trials1).contains(successes1), (0...trials2).contains(successes2) else {
            throw StatsError.invalidArgument("successes must lie in 0...trials")
        }
        let n1 = Double(trials1), n2 = Double(trials2)
        let p1 = Double(successes1) / n1, p2 = Double(successes2) / n2
        let pooled = Double(successes1 + successes2) / (n1 + n2)
        let variance = pooled * (1 - pooled) * (1 / n1 + 1 / n2)
        guard variance > 0 else { throw StatsError.constantInput("pooled proportion is \(pooled)") }
        let z = (p1 - p2) / variance.squareRoot()
        let p = pValue(alternative: alternative, upper: { GSL.normalQ(z) }, lower: { GSL.normalP(z) })
        return TestResult(statistic: z, pValue: p, effectSize: p1 - p2,
                          method: TestMethod(test: "two-proportion z", pValue: .asymptotic,
                                             detail: "normal with pooled variance"))
    }

    /// Wilson score interval for a binomial proportion (scipy
    /// `binomtest(k, n).proportion_ci(method='wilson')`, identical to statsmodels
    /// `proportion_confint(method='wilson')`).
    ///
    /// With z = Φ⁻¹((1 + confidence)/2) and p̂ = k/n:
    /// centre = (2np̂ + z²)/(2(n + z²)), half-width = z·sqrt(4np̂(1−p̂) + z²)/(2(n + z²));
    /// the lower bound is exactly 0 when k = 0 and the upper exactly 1 when k = n (as scipy).
    /// Accuracy: closed form; agreement with scipy 1.17 to 1e-12 relative.
    public static func wilsonInterval(successes: Int, trials: Int, confidence: Double = 0.95) throws -> ConfidenceInterval {
        guard trials > 0 else { throw StatsError.emptyInput("trials") }
        guard (0...trials).contains(successes) else {
            throw StatsError.invalidArgument("successes must lie in 0...trials")
        }
        try requireConfidence(confidence)
        let n = Double(trials)
        let p = Double(successes) / n
        let z = try GSL.normalQuantile(0.5 + 0.5 * confidence)
        let denominator = 2 * (n + z * z)
        let center = (2 * n * p + z * z) / denominator
        let q = 1 - p
        let delta = z / denominator * (4 * n * p * q + z * z).squareRoot()
        let lower = successes == 0 ? 0.0 : center - delta
        let upper = successes == trials ? 1.0 : center + delta
        return ConfidenceInterval(lower: lower, upper: upper, confidence: confidence, method: "Wilson score")
    }
}
