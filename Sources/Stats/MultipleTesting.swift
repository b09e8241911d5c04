extension Stats {
    /// Holm–Bonferroni step-down adjusted p-values (statsmodels `multipletests(method='holm')`),
    /// returned in the input order.
    ///
    /// With p₍₁₎ ≤ … ≤ p₍ₘ₎: adj₍ᵢ₎ = min(1, max_{j ≤ i} (m − j + 1) p₍ⱼ₎). Rejecting the
    /// hypotheses with adjusted p ≤ α controls the family-wise error rate at α under any
    /// dependence. Exact arithmetic apart from one multiplication per value; agreement with the
    /// closed form evaluated by numpy is exact to rounding (1e-15).
    ///
    /// Throws `StatsError.emptyInput` for no p-values and `StatsError.invalidArgument` for values
    /// outside [0, 1] or NaN.
    public static func holmAdjusted(_ pValues: [Double]) throws -> [Double] {
        guard !pValues.isEmpty else { throw StatsError.emptyInput("pValues") }
        guard pValues.allSatisfy({ $0 >= 0 && $0 <= 1 }) else {
            throw StatsError.invalidArgument("p-values must lie in [0, 1]")
        }
        let m = pValues.count
        let order = pValues.indices.sorted { pValues[$0] < pValues[$1] }
        var adjusted = [Double](repeating: 0, count: m)
        var running = 0.0
        for (rank, index) in order.enumerated() {
            running = max(running, Double(m - rank) * pValues[index])
            adjusted[index] = min(running, 1)
        }
        return adjusted
    }

    /// Which hypotheses Holm–Bonferroni rejects at family-wise level `alpha`, in input order.
    public static func holmRejections(_ pValues: [Double], alpha: Double = 0.05) throws -> [Bool] {
        guard alpha > 0, alpha < 1 else { throw StatsError.invalidArgument("alpha must be in (0, 1)") }
        return try holmAdjusted(pValues).map { $0 <= alpha }
    }
}
