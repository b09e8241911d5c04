import Foundation

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

    /// Relative half-width of the interval (a noise figure): (high − low) / 2 / |median|.
    public var relativeHalfWidth: Double { median != 0 ? (ciHigh - ciLow) / 2 / abs(median) : 0 }
}
