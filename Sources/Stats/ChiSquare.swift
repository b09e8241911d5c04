extension Stats {
    /// What to do with cells whose expected count is below the usual threshold (5 by default),
    /// where the χ² approximation to the Pearson statistic becomes unreliable.
    public enum LowExpectedPolicy: String, Sendable, Hashable {
        /// Compute the test on the cells as given; report the low cells in
        /// `ChiSquareResult.lowExpectedCells`.
        case flag
        /// Merge adjacent cells (in the given order) until every merged cell reaches the
        /// threshold: cells are accumulated left to right into a group that is closed once its
        /// expected count reaches the threshold; a final group that stays below it is merged into
        /// the previous group. Suitable for ordered cells (integer parameters, histogram bins).
        case poolAdjacent
        /// Throw `StatsError.invalidArgument` if any cell is below the threshold.
        case reject
    }

    /// Result of a chi-square goodness-of-fit test, with the cells actually tested.
    public struct ChiSquareResult: Sendable, Hashable {
        /// Statistic Σ (O − E)²/E, p-value from χ²(cells − 1 − ddof); effect size is Cohen's
        /// w = sqrt(χ²/N).
        public var test: TestResult
        /// Observed counts of the tested cells (after pooling, if any).
        public var observed: [Double]
        /// Expected counts of the tested cells (after pooling, if any).
        public var expected: [Double]
        /// For each tested cell, the indices of the input cells it contains.
        public var cells: [[Int]]
        /// Indices of input cells whose expected count is below the threshold (before pooling).
        public var lowExpectedCells: [Int]
        /// Whether every tested cell meets the threshold (always true after `.poolAdjacent`
        /// succeeds).
        public var meetsExpectedCountRule: Bool
        /// Input cells with zero expected and zero observed count, which were left out.
        public var droppedEmptyCells: [Int]
    }

    /// Pearson chi-square goodness-of-fit test (scipy `chisquare`).
    ///
    /// - Parameters:
    ///   - observed: counts per cell (non-negative, finite; need not be integers).
    ///   - expectedProportions: relative expected frequencies per cell (non-negative, positive
    ///     sum); they are normalised and scaled to the observed total, so the sum check that
    ///     scipy performs always passes.
    ///   - ddof: extra degrees of freedom to subtract (parameters estimated from the data).
    ///   - lowExpected: policy for cells with expected count below `minimumExpected`.
    ///   - minimumExpected: the expected-count rule threshold, 5 by default.
    ///
    /// Cells with zero expected and zero observed count are dropped (reported in
    /// `droppedEmptyCells`); a positive count in a zero-expected cell throws
    /// `StatsError.invalidArgument`. At least two cells must remain and cells − 1 − ddof ≥ 1.
    ///
    /// Assumptions: independent observations, multinomial counts; the χ² null distribution is
    /// asymptotic and trustworthy when expected counts are ≥ 5 (hence the policy).
    /// Accuracy: statistic exact to rounding; the p-value is GSL's `gsl_cdf_chisq_Q`, agreeing with
    /// scipy's `chi2.sf` to 1e-10 relative in the fixtures.
    public static func chiSquareGoodnessOfFit(observed: [Double], expectedProportions: [Double],
                                              ddof: Int = 0, lowExpected: LowExpectedPolicy = .flag,
                                              minimumExpected: Double = 5) throws -> ChiSquareResult {
        guard !observed.isEmpty else { throw StatsError.emptyInput("observed") }
        guard observed.count == expectedProportions.count else {
            throw StatsError.invalidArgument("observed has \(observed.count) cells but expected has \(expectedProportions.count)")
        }
        guard observed.allSatisfy({ $0.isFinite && $0 >= 0 }) else {
            throw StatsError.invalidArgument("observed counts must be finite and non-negative")
        }
        guard expectedProportions.allSatisfy({ $0.isFinite && $0 >= 0 }) else {
            throw StatsError.invalidArgument("expected proportions must be finite and non-negative")
        }
        guard ddof >= 0 else { throw StatsError.invalidArgument("ddof must be non-negative") }
        let weightSum = expectedProportions.reduce(0, +)
        guard weightSum > 0 else { throw StatsError.invalidArgument("expected proportions sum to zero") }
        let total = observed.reduce(0, +)
        guard total > 0 else { throw StatsError.emptyInput("observed (all counts are zero)") }

        var cellObserved: [Double] = []
        var cellExpected: [Double] = []
        var cellMembers: [[Int]] = []
        var dropped: [Int] = []
        for i in observed.indices {
            let e = total * expectedProportions[i] / weightSum
            if e == 0 {
                if observed[i] > 0 {
                    throw StatsError.invalidArgument("cell \(i) has \(observed[i]) observations but zero expected count")
                }
                dropped.append(i)
                continue
            }
            cellObserved.append(observed[i])
            cellExpected.append(e)
            cellMembers.append([i])
        }
        let low = zip(cellMembers, cellExpected).filter { $0.1 < minimumExpected }.map { $0.0[0] }

        switch lowExpected {
        case .flag:
            break
        case .reject:
            if !low.isEmpty {
                throw StatsError.invalidArgument("cells \(low) have expected counts below \(minimumExpected)")
            }
        case .poolAdjacent:
            var pooledO: [Double] = [], pooledE: [Double] = [], pooledM: [[Int]] = []
            var accO = 0.0, accE = 0.0, accM: [Int] = []
            for c in cellExpected.indices {
                accO += cellObserved[c]
                accE += cellExpected[c]
                accM += cellMembers[c]
                if accE >= minimumExpected {
                    pooledO.append(accO); pooledE.append(accE); pooledM.append(accM)
                    accO = 0; accE = 0; accM = []
                }
            }
            if !accM.isEmpty {
                if pooledM.isEmpty {
                    pooledO.append(accO); pooledE.append(accE); pooledM.append(accM)
                } else {
                    pooledO[pooledO.count - 1] += accO
                    pooledE[pooledE.count - 1] += accE
                    pooledM[pooledM.count - 1] += accM
                }
            }
            cellObserved = pooledO
            cellExpected = pooledE
            cellMembers = pooledM
        }

        let k = cellObserved.count
        let df = k - 1 - ddof
        guard k >= 2 else {
            throw StatsError.invalidArgument("only \(k) cell(s) left to test (after dropping/pooling)")
        }
        guard df >= 1 else {
            throw StatsError.invalidArgument("degrees of freedom \(df) < 1 (cells \(k), ddof \(ddof))")
        }
        var statistic = 0.0
        for i in 0..<k {
            let d = cellObserved[i] - cellExpected[i]
            statistic += d * d / cellExpected[i]
        }
        let p = clip01(try GSL.chiSquareQ(statistic, nu: Double(df)))
        let detail = lowExpected == .poolAdjacent ? "χ² with adjacent cells pooled to expected ≥ \(minimumExpected)"
                                                  : "χ² distribution"
        let test = TestResult(statistic: statistic, pValue: p, effectSize: (statistic / total).squareRoot(),
                              degreesOfFreedom: Double(df),
                              method: TestMethod(test: "Pearson chi-square goodness of fit", pValue: .asymptotic,
                                                 detail: detail))
        return ChiSquareResult(test: test, observed: cellObserved, expected: cellExpected, cells: cellMembers,
                               lowExpectedCells: low,
                               meetsExpectedCountRule: cellExpected.allSatisfy { $0 >= minimumExpected },
                               droppedEmptyCells: dropped)
    }

    /// Chi-square goodness-of-fit test of integer observations (e.g. an integer generator
    /// parameter) against a discrete distribution.
    ///
    /// Counts each support value (cells ordered as `distribution.support`) and calls
    /// `chiSquareGoodnessOfFit(observed:expectedProportions:ddof:lowExpected:minimumExpected:)`
    /// — see it for the statistic, pooling, assumptions and accuracy. Any value outside the
    /// support throws `StatsError.outOfSupport` (such a value is impossible under the null);
    /// an empty sample throws `StatsError.emptyInput`.
    public static func discreteGoodnessOfFit(_ values: [Int], against distribution: DiscreteDistribution,
                                             lowExpected: LowExpectedPolicy = .flag,
                                             minimumExpected: Double = 5) throws -> ChiSquareResult {
        guard !values.isEmpty else { throw StatsError.emptyInput("values") }
        let probabilities = try distribution.probabilities()
        var counts = [Double](repeating: 0, count: probabilities.count)
        for v in values {
            guard let i = distribution.index(of: v) else { throw StatsError.outOfSupport(value: v) }
            counts[i] += 1
        }
        return try chiSquareGoodnessOfFit(observed: counts, expectedProportions: probabilities,
                                          lowExpected: lowExpected, minimumExpected: minimumExpected)
    }

    /// Chi-square test that integer observations are uniform over `range` (inclusive).
    /// Same as `discreteGoodnessOfFit(values, against: .uniform(lo: range.lowerBound, hi: range.upperBound))`.
    public static func discreteUniformTest(_ values: [Int], in range: ClosedRange<Int>,
                                           lowExpected: LowExpectedPolicy = .flag,
                                           minimumExpected: Double = 5) throws -> ChiSquareResult {
        try discreteGoodnessOfFit(values, against: .uniform(lo: range.lowerBound, hi: range.upperBound),
                                  lowExpected: lowExpected, minimumExpected: minimumExpected)
    }
}
