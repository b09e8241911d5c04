import BenchFormat
import Foundation
import Stats
import Support

extension Summary {
    /// Bootstrap resamples of the median; the generator is keyed by the samples, so the same samples always
    /// give the same interval.
    public static let resamples = 4000

    /// Median and percentile-bootstrap 95 % interval of the median. One sample gives a zero-width interval.
    public init(samples: [Double], confidence: Double = 0.95) {
        let median = Summary.median(samples)
        guard samples.count >= 2, samples.allSatisfy(\.isFinite) else {
            self.init(median: median, ciLow: median, ciHigh: median, samples: samples)
            return
        }
        var key: [UInt64] = [0x5eed_b007]
        for s in samples { key.append(s.bitPattern) }
        var rng = CounterRNG(key: CounterRNG.key(key))
        // The percentile method is defined for any sample (BCa is undefined when every resample median equals
        // the estimate, which a handful of repeats makes common).
        if let r = try? Stats.bootstrapInterval(sample: samples, statistic: Summary.median, confidence: confidence,
                                                method: .percentile, resamples: Summary.resamples, using: &rng) {
            self.init(median: median, ciLow: r.interval.lower, ciHigh: r.interval.upper, samples: samples)
        } else {
            self.init(median: median, ciLow: samples.min()!, ciHigh: samples.max()!, samples: samples)
        }
    }
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
