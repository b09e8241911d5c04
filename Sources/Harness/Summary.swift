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
        let median = Stats.median(samples)
        guard samples.count >= 2, samples.allSatisfy(\.isFinite) else {
            self.init(median: median, ciLow: median, ciHigh: median, samples: samples)
            return
        }
        var key: [UInt64] = [0x5eed_b007]
        for s in samples { key.append(s.bitPattern) }
        var rng = CounterRNG(key: CounterRNG.key(key))
        // The percentile method is defined for any sample (BCa is undefined when every resample median equals
        // the estimate, which a handful of repeats makes common).
        if let r = try? Stats.bootstrapInterval(sample: samples, statistic: Stats.median, confidence: confidence,
                                                method: .percentile, resamples: Summary.resamples, using: &rng) {
            self.init(median: median, ciLow: r.interval.lower, ciHigh: r.interval.upper, samples: samples)
        } else {
            self.init(median: median, ciLow: samples.min()!, ciHigh: samples.max()!, samples: samples)
        }
    }
}
