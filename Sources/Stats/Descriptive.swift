import Foundation

extension Stats {
    /// Median: the middle value, or the mean of the two middle values for an even count (numpy `median`); NaN
    /// for no values. Exact up to the one rounding of that mean.
    public static func median(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return .nan }
        let s = values.sorted()
        let m = s.count / 2
        return s.count % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2
    }

    /// Hyndman–Fan type 7 quantile of sorted values (numpy/scipy `method='linear'`, their default): with
    /// h = (n − 1)·q and j = ⌊h⌋, y₍ⱼ₎ + (h − j)·(y₍ⱼ₊₁₎ − y₍ⱼ₎) (0-based). NaN for no values. `q` must lie in
    /// [0, 1]. Agrees with numpy to a few ulps (its interpolation rounds differently when h − j ≥ ½).
    public static func quantile(sorted: [Double], _ q: Double) -> Double {
        if sorted.isEmpty { return .nan }
        let h = Double(sorted.count - 1) * q
        let lo = Int(h.rounded(.down)), hi = Swift.min(lo + 1, sorted.count - 1)
        return sorted[lo] + (h - Double(lo)) * (sorted[hi] - sorted[lo])
    }

    /// The standard normal quantile Φ⁻¹(p) for p in (0, 1) (GSL `gsl_cdf_ugaussian_Pinv`, as scipy `ndtri`
    /// to near machine precision); ±∞ at 0 and 1. Throws `StatsError.invalidArgument` outside [0, 1].
    public static func normalQuantile(_ p: Double) throws -> Double {
        guard p >= 0, p <= 1 else { throw StatsError.invalidArgument("probability must be in [0, 1], got \(p)") }
        if p == 0 { return -.infinity }
        if p == 1 { return .infinity }
        return try GSL.normalQuantile(p)
    }

    /// Ordinary least squares y = intercept + slope · x, with the coefficient of determination.
    ///
    /// Two-pass (centred) sums; slope = Sxy / Sxx, intercept = ȳ − slope·x̄, R² = 1 − SS_res / SS_tot clipped at 0.
    /// Exact for data on a line up to rounding (tested against numpy `polyfit` in the fixtures).
    public struct LinearFit: Equatable, Sendable {
        public var slope: Double
        public var intercept: Double
        /// 1 − SS_res / SS_tot; nil when y has no variance (a perfect horizontal line) or fewer than 3 points
        /// (two points always fit exactly, so R² would say nothing).
        public var r2: Double?
        public var points: Int

        public enum FitError: Error, Equatable, CustomStringConvertible {
            case tooFewDistinctX
            case nonFinite
            public var description: String {
                switch self {
                case .tooFewDistinctX: return "a line needs at least two distinct x values"
                case .nonFinite: return "non-finite value in the data"
                }
            }
        }

        /// Fits the line; x and y must have the same length.
        public init(x: [Double], y: [Double]) throws {
            precondition(x.count == y.count, "x and y differ in length")
            guard x.allSatisfy(\.isFinite), y.allSatisfy(\.isFinite) else { throw FitError.nonFinite }
            guard Set(x).count >= 2 else { throw FitError.tooFewDistinctX }
            let n = Double(x.count)
            let mx = x.reduce(0, +) / n, my = y.reduce(0, +) / n
            var sxx = 0.0, sxy = 0.0, syy = 0.0
            for i in x.indices {
                let dx = x[i] - mx, dy = y[i] - my
                sxx += dx * dx; sxy += dx * dy; syy += dy * dy
            }
            slope = sxy / sxx
            intercept = my - slope * mx
            points = x.count
            if x.count < 3 || syy == 0 {
                r2 = nil
            } else {
                var ssRes = 0.0
                for i in x.indices { let e = y[i] - (intercept + slope * x[i]); ssRes += e * e }
                r2 = max(0, 1 - ssRes / syy)
            }
        }
    }
}
