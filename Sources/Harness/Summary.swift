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
        median = Stats.median(samples)
        guard samples.count >= 2, samples.allSatisfy(\.isFinite) else { ciLow = median; ciHigh = median; return }
        var key: [UInt64] = [0x5eed_b007]
        for s in samples { key.append(s.bitPattern) }
        var rng = CounterRNG(key: CounterRNG.key(key))
        // The percentile method is defined for any sample (BCa is undefined when every resample median equals
        // the estimate, which a handful of repeats makes common).
        if let r = try? Stats.bootstrapInterval(sample: samples, statistic: Stats.median, confidence: confidence,
                                                method: .percentile, resamples: Summary.resamples, using: &rng) {
            ciLow = r.interval.lower; ciHigh = r.interval.upper
        } else {
            ciLow = samples.min()!; ciHigh = samples.max()!
        }
    }

    /// Relative half-width of the interval (a noise figure): (high − low) / 2 / |median|.
    public var relativeHalfWidth: Double { median != 0 ? (ciHigh - ciLow) / 2 / abs(median) : 0 }
}
