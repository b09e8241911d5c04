import Foundation
import Stats
import Support

/// A measured quantity over repeats: the median, a 95 % percentile-bootstrap interval of the median, and the
/// samples themselves (kept so that a later `gate` can test the difference between two runs).
public struct Summary: Codable, Equatable, Sendable {
    public var median: Double
    public var ciLow: Double
    public var ciHigh: Double
    public var samples: [Double]

    enum CodingKeys: String, CodingKey { case median, ciLow = "ci_low", ciHigh = "ci_high", samples }

    public init(median: Double, ciLow: Double, ciHigh: Double, samples: [Double]) {
        self.median = median; self.ciLow = ciLow; self.ciHigh = ciHigh; self.samples = samples
    }

    /// Bootstrap resamples of the median; the generator is keyed by the samples, so the same samples always
    /// give the same interval.
    public static let resamples = 4000

    /// Median and percentile-bootstrap 95 % interval of the median. One sample gives a zero-width interval.
    public init(samples: [Double], confidence: Double = 0.95) {
        self.samples = samples
        median = Summary.median(samples)
        guard samples.count >= 2, samples.allSatisfy(\.isFinite) else { ciLow = median; ciHigh = median; return }
        var key: [UInt64] = [0x5eed_b007]
        for s in samples { key.append(s.bitPattern) }
        var rng = CounterRNG(key: CounterRNG.key(key))
        // The percentile method is defined for any sample (BCa is undefined when every resample median equals
        // the estimate, which a handful of repeats makes common).
        if let r = try? Stats.bootstrapInterval(sample: samples, statistic: Summary.median, confidence: confidence,
                                                method: .percentile, resamples: Summary.resamples, using: &rng) {
            ciLow = r.interval.lower; ciHigh = r.interval.upper
        } else {
            ciLow = samples.min()!; ciHigh = samples.max()!
        }
    }

    /// Median (mean of the two middle values for an even count); NaN for no values.
    public static func median(_ xs: [Double]) -> Double {
        guard !xs.isEmpty else { return .nan }
        let s = xs.sorted()
        let m = s.count / 2
        return s.count % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2
    }

    /// Relative half-width of the interval (a noise figure): (high − low) / 2 / |median|.
    public var relativeHalfWidth: Double { median != 0 ? (ciHigh - ciLow) / 2 / abs(median) : 0 }
}

/// Ordinary least squares y = intercept + slope · x, with the coefficient of determination.
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
