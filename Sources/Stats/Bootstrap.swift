import Foundation

extension Stats {
    /// Bootstrap confidence-interval construction.
    public enum BootstrapMethod: String, Sendable, Hashable {
        /// Quantiles α and 1−α of the bootstrap distribution.
        case percentile
        /// Bias-corrected and accelerated (Efron & Tibshirani 1993, §14.3, eq. 14.15/15.36):
        /// bias correction from the fraction of resample statistics below the estimate,
        /// acceleration from the jackknife.
        case bca
    }

    /// A bootstrap confidence interval with the material it was computed from.
    public struct BootstrapResult: Sendable, Hashable {
        public var interval: ConfidenceInterval
        /// The statistic on the original sample.
        public var estimate: Double
        /// Standard deviation (ddof 1) of the bootstrap distribution.
        public var standardError: Double
        /// The resample statistics used.
        public var bootstrapDistribution: [Double]
        /// BCa only: the bias correction ẑ₀ and acceleration â.
        public var biasCorrection: Double?
        public var acceleration: Double?
    }

    /// Two-sided bootstrap confidence interval for `statistic` of a one-sample `sample`, drawing
    /// `resamples` resamples with replacement from `rng`.
    ///
    /// Deterministic given the generator state; see
    /// `bootstrapInterval(sample:statistic:bootstrapDistribution:confidence:method:)` for the
    /// interval construction, assumptions and accuracy (this overload only adds the resampling).
    public static func bootstrapInterval<G: RandomNumberGenerator>(
        sample: [Double], statistic: ([Double]) -> Double, confidence: Double = 0.95,
        method: BootstrapMethod = .bca, resamples: Int = 9999, using rng: inout G
    ) throws -> BootstrapResult {
        try requireFinite(sample, "sample", minCount: 2)
        guard resamples >= 2 else { throw StatsError.invalidArgument("resamples must be at least 2") }
        let n = sample.count
        var buffer = [Double](repeating: 0, count: n)
        var distribution = [Double](repeating: 0, count: resamples)
        for b in 0..<resamples {
            for i in 0..<n { buffer[i] = sample[Int.random(in: 0..<n, using: &rng)] }
            distribution[b] = statistic(buffer)
        }
        return try bootstrapInterval(sample: sample, statistic: statistic, bootstrapDistribution: distribution,
                                     confidence: confidence, method: method)
    }

    /// Two-sided bootstrap confidence interval from a given bootstrap distribution (scipy
    /// `bootstrap(method='percentile' | 'BCa')` for one sample).
    ///
    /// - `bootstrapDistribution`: the statistic evaluated on each resample (any order). Passing it
    ///   explicitly makes the interval reproducible and lets it be compared with scipy exactly.
    /// - Percentile: the linear-interpolation (Hyndman–Fan type 7, numpy/scipy default) quantiles
    ///   at α = (1 − confidence)/2 and 1 − α (`quantile(sorted:_:)`).
    /// - BCa: ẑ₀ = Φ⁻¹((#{θ*<θ̂} + #{θ*≤θ̂}) / 2B); jackknife values θ₍ᵢ₎ (statistic with
    ///   observation i removed) give â = Σd³ / (6 (Σd²)^{3/2}) with d = θ̄₍·₎ − θ₍ᵢ₎; quantile levels
    ///   α₁,₂ = Φ(ẑ₀ + (ẑ₀ ± z_α)/(1 − â(ẑ₀ ± z_α))). This is scipy's `_bca_interval`.
    ///
    /// Assumptions: i.i.d. sample, a statistic that is a smooth functional (BCa's second-order
    /// accuracy needs that). Throws `StatsError.constantInput` when BCa is undefined (the estimate
    /// lies outside the bootstrap distribution or all jackknife values are equal — scipy returns
    /// NaN there). Accuracy: given the same bootstrap distribution, bounds agree with scipy 1.17
    /// to 1e-12 relative.
    public static func bootstrapInterval(sample: [Double], statistic: ([Double]) -> Double,
                                         bootstrapDistribution: [Double], confidence: Double = 0.95,
                                         method: BootstrapMethod = .bca) throws -> BootstrapResult {
        try requireFinite(sample, "sample", minCount: 2)
        try requireFinite(bootstrapDistribution, "bootstrapDistribution", minCount: 2)
        try requireConfidence(confidence)
        let sortedB = GSL.sorted(bootstrapDistribution)
        let bCount = sortedB.count
        let estimate = statistic(sample)
        let alpha = (1 - confidence) / 2
        var levels = (alpha, 1 - alpha)
        var z0: Double? = nil, aHat: Double? = nil
        if method == .bca {
            var below = 0, belowOrEqual = 0
            for v in sortedB {
                if v < estimate { below += 1 }
                if v <= estimate { belowOrEqual += 1 }
            }
            let percentile = Double(below + belowOrEqual) / Double(2 * bCount)
            let zHat = try GSL.normalQuantile(percentile)
            // jackknife
            let n = sample.count
            var jack = [Double](repeating: 0, count: n)
            var leaveOne = [Double]()
            leaveOne.reserveCapacity(n - 1)
            for i in 0..<n {
                leaveOne.removeAll(keepingCapacity: true)
                for j in 0..<n where j != i { leaveOne.append(sample[j]) }
                jack[i] = statistic(leaveOne)
            }
            let nd = Double(n)
            let jackMean = jack.reduce(0, +) / nd
            var num = 0.0, den = 0.0
            for v in jack {
                let u = (nd - 1) * (jackMean - v)
                num += u * u * u
                den += u * u
            }
            num /= nd * nd * nd
            den /= nd * nd
            let a = 1.0 / 6 * num / pow(den, 1.5)
            guard zHat.isFinite, a.isFinite else {
                throw StatsError.constantInput("BCa is undefined: the estimate lies outside the bootstrap distribution or the jackknife values are all equal")
            }
            let zAlpha = try GSL.normalQuantile(alpha)
            let num1 = zHat + zAlpha
            let alpha1 = GSL.normalP(zHat + num1 / (1 - a * num1))
            let num2 = zHat - zAlpha
            let alpha2 = GSL.normalP(zHat + num2 / (1 - a * num2))
            guard alpha1.isFinite, alpha2.isFinite else {
                throw StatsError.constantInput("BCa quantile levels are undefined")
            }
            levels = (alpha1, alpha2)
            z0 = zHat
            aHat = a
        }
        let lower = quantile(sorted: sortedB, levels.0)
        let upper = quantile(sorted: sortedB, levels.1)
        let mean = sortedB.reduce(0, +) / Double(bCount)
        var ss = 0.0
        for v in sortedB { ss += (v - mean) * (v - mean) }
        let se = (ss / Double(bCount - 1)).squareRoot()
        return BootstrapResult(
            interval: ConfidenceInterval(lower: lower, upper: upper, confidence: confidence,
                                         method: method == .bca ? "BCa bootstrap" : "percentile bootstrap"),
            estimate: estimate, standardError: se, bootstrapDistribution: bootstrapDistribution,
            biasCorrection: z0, acceleration: aHat)
    }

    /// The counts of one bootstrap resample of `n` items (`n` draws with replacement): `counts[i]` is how often item
    /// i was drawn. Each draw is `rng.next() % n` (its bias, below n/2⁶⁴, is kept so that seeded results replay).
    /// `counts` must hold n elements.
    public static func resampleCounts<G: RandomNumberGenerator>(_ n: Int, using rng: inout G, into counts: inout [Int32]) {
        precondition(counts.count == n, "one count per item")
        for i in 0..<n { counts[i] = 0 }
        for _ in 0..<n { counts[Int(rng.next() % UInt64(n))] += 1 }
    }

    /// Two-sided percentile interval of a sorted bootstrap distribution: the type 7 quantiles (`quantile(sorted:_:)`)
    /// at α = (1 − confidence)/2 and 1 − α.
    public static func percentileInterval(sortedDistribution sorted: [Double], confidence: Double) -> (lower: Double, upper: Double) {
        let a = (1 - confidence) / 2
        return (quantile(sorted: sorted, a), quantile(sorted: sorted, 1 - a))
    }

    /// One-sided bootstrap p-value for "the statistic exceeds `null`": (1 + #{θ* ≤ null}) / (B + 1) over the B
    /// resample statistics θ* (Davison & Hinkley 1997, eq. 4.11), never 0.
    public static func bootstrapPValue(_ distribution: [Double], null: Double = 0) -> Double {
        let atOrBelow = distribution.reduce(0) { $0 + ($1 <= null ? 1 : 0) }
        return Double(1 + atOrBelow) / Double(distribution.count + 1)
    }
}
