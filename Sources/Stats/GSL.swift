// The only file in the Stats module that touches the GSL C API.
//
// GSL's default error handler aborts the process. It is switched off exactly once (lazily, on the
// first call through this wrapper) and every GSL status code or NaN result is turned into a
// `GSLError` before it leaves this file, so no caller ever sees a raw `int` status.

import CGSL

/// An error reported by the GNU Scientific Library.
///
/// GSL signals failures through integer status codes; they are mapped to `Reason` here so callers
/// can switch over them without knowing GSL's numbering.
public struct GSLError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Why GSL failed.
    public enum Reason: Sendable, Equatable {
        /// Argument outside the function's domain (`GSL_EDOM`).
        case domain
        /// Result not representable (`GSL_ERANGE`).
        case range
        /// Invalid argument supplied by the caller (`GSL_EINVAL`).
        case invalidArgument
        /// Memory allocation failed (`GSL_ENOMEM`).
        case noMemory
        /// An iterative algorithm exceeded its iteration limit (`GSL_EMAXITER`).
        case maxIterations
        /// Division by zero (`GSL_EZERODIV`).
        case divisionByZero
        /// The requested tolerance was not reached (`GSL_ETOL`).
        case tolerance
        /// The result underflowed (`GSL_EUNDRFLW`).
        case underflow
        /// The result overflowed (`GSL_EOVRFLW`).
        case overflow
        /// Loss of accuracy (`GSL_ELOSS`).
        case lossOfAccuracy
        /// Failure caused by round-off (`GSL_EROUND`).
        case roundoff
        /// Any other GSL status code.
        case other(Int32)

        init(status: Int32) {
            switch status {
            case Int32(GSL_EDOM): self = .domain
            case Int32(GSL_ERANGE): self = .range
            case Int32(GSL_EINVAL): self = .invalidArgument
            case Int32(GSL_ENOMEM): self = .noMemory
            case Int32(GSL_EMAXITER): self = .maxIterations
            case Int32(GSL_EZERODIV): self = .divisionByZero
            case Int32(GSL_ETOL): self = .tolerance
            case Int32(GSL_EUNDRFLW): self = .underflow
            case Int32(GSL_EOVRFLW): self = .overflow
            case Int32(GSL_ELOSS): self = .lossOfAccuracy
            case Int32(GSL_EROUND): self = .roundoff
            default: self = .other(status)
            }
        }
    }

    /// Why the call failed.
    public var reason: Reason
    /// The GSL function that failed, e.g. `"gsl_sf_lngamma_e"`.
    public var function: String

    public init(reason: Reason, function: String) {
        self.reason = reason
        self.function = function
    }

    public var description: String { "GSL error in \(function): \(reason)" }
}

/// Thin, throwing wrappers over the GSL functions the statistics code uses.
enum GSL {
    /// Evaluated once (Swift guarantees thread-safe lazy initialisation of static stored properties).
    private static let quieted: Bool = {
        synthbench_gsl_quiet()
        return true
    }()

    @inline(__always) private static func ready() { _ = quieted }

    private static func checked(_ value: Double, _ function: String) throws(GSLError) -> Double {
        if value.isNaN { throw GSLError(reason: .domain, function: function) }
        return value
    }

    private static func checked(_ status: Int32, _ result: gsl_sf_result,
                                _ function: String) throws(GSLError) -> Double {
        // Underflow of a special function is benign for the sums used here: the value is 0.
        if status == Int32(GSL_EUNDRFLW) { return 0 }
        if status != Int32(GSL_SUCCESS) { throw GSLError(reason: .init(status: status), function: function) }
        return result.val
    }

    // MARK: Normal distribution

    /// Standard normal lower tail P(Z <= x) (`gsl_cdf_ugaussian_P`).
    static func normalP(_ x: Double) -> Double {
        ready()
        return gsl_cdf_ugaussian_P(x)
    }

    /// Standard normal upper tail P(Z > x) (`gsl_cdf_ugaussian_Q`); accurate far into the tail.
    static func normalQ(_ x: Double) -> Double {
        ready()
        return gsl_cdf_ugaussian_Q(x)
    }

    /// Normal CDF with standard deviation `sd` at `x - mean` (`gsl_cdf_gaussian_P`).
    static func normalP(_ x: Double, mean: Double, sd: Double) -> Double {
        ready()
        return gsl_cdf_gaussian_P(x - mean, sd)
    }

    /// Standard normal quantile (`gsl_cdf_ugaussian_Pinv`): -inf at 0, +inf at 1.
    static func normalQuantile(_ p: Double) throws(GSLError) -> Double {
        ready()
        if p == 0 { return -.infinity }
        if p == 1 { return .infinity }
        guard p > 0, p < 1 else { throw GSLError(reason: .domain, function: "gsl_cdf_ugaussian_Pinv") }
        return try checked(gsl_cdf_ugaussian_Pinv(p), "gsl_cdf_ugaussian_Pinv")
    }

    // MARK: Student t and chi-square

    /// Student t upper tail P(T > t) with `nu` (possibly fractional) degrees of freedom.
    ///
    /// For ν ≤ 10⁴: P(T > |t|) = I_{ν/(ν+t²)}(ν/2, 1/2) / 2 with the regularized incomplete beta
    /// (`gsl_sf_beta_inc_e`, which switches to the complementary fraction internally); relative
    /// error ≲ 1e-12 against scipy. `gsl_cdf_tdist_Q` is not used there because for ν > 30 it
    /// switches to Hill's series, which is only good to ~1e-7 relative in the far tail at moderate
    /// ν. For ν > 10⁴ the incomplete beta loses accuracy (log-beta of huge arguments) while Hill's
    /// series becomes near exact, so `gsl_cdf_tdist_Q` is used (≲ 1e-13 against scipy).
    static func tQ(_ t: Double, nu: Double) throws(GSLError) -> Double {
        ready()
        guard nu > 0, !t.isNaN else { throw GSLError(reason: .domain, function: "gsl_sf_beta_inc_e") }
        if t.isInfinite { return t > 0 ? 0 : 1 }
        let upperOfAbs = try tailOfAbs(abs(t), nu: nu)
        return t >= 0 ? upperOfAbs : 1 - upperOfAbs
    }

    /// Student t lower tail P(T <= t).
    static func tP(_ t: Double, nu: Double) throws(GSLError) -> Double {
        try tQ(-t, nu: nu)
    }

    /// P(T > a) for a >= 0.
    private static func tailOfAbs(_ a: Double, nu: Double) throws(GSLError) -> Double {
        if nu > 1e4 { return try checked(gsl_cdf_tdist_Q(a, nu), "gsl_cdf_tdist_Q") }
        var r = gsl_sf_result()
        let status = gsl_sf_beta_inc_e(nu / 2, 0.5, nu / (nu + a * a), &r)
        return 0.5 * (try checked(status, r, "gsl_sf_beta_inc_e"))
    }

    /// Chi-square upper tail P(X > x) with `nu` degrees of freedom.
    static func chiSquareQ(_ x: Double, nu: Double) throws(GSLError) -> Double {
        ready()
        guard nu > 0 else { throw GSLError(reason: .domain, function: "gsl_cdf_chisq_Q") }
        return try checked(gsl_cdf_chisq_Q(x, nu), "gsl_cdf_chisq_Q")
    }

    // MARK: Special functions

    /// log Γ(x) (`gsl_sf_lngamma_e`).
    static func lnGamma(_ x: Double) throws(GSLError) -> Double {
        ready()
        var r = gsl_sf_result()
        let status = gsl_sf_lngamma_e(x, &r)
        return try checked(status, r, "gsl_sf_lngamma_e")
    }

    /// log n! (`gsl_sf_lnfact`), for 0 <= n < 2^32; never fails in that range.
    static func lnFactorial(_ n: Int) -> Double {
        ready()
        return gsl_sf_lnfact(UInt32(n))
    }

    /// Γ(x) (`gsl_sf_gamma_e`).
    static func gamma(_ x: Double) throws(GSLError) -> Double {
        ready()
        var r = gsl_sf_result()
        let status = gsl_sf_gamma_e(x, &r)
        return try checked(status, r, "gsl_sf_gamma_e")
    }

    /// e^x K_nu(x), the exponentially scaled modified Bessel function of the second kind
    /// (`gsl_sf_bessel_Knu_scaled_e`), for x > 0.
    static func besselKScaled(nu: Double, _ x: Double) throws(GSLError) -> Double {
        ready()
        var r = gsl_sf_result()
        let status = gsl_sf_bessel_Knu_scaled_e(nu, x, &r)
        return try checked(status, r, "gsl_sf_bessel_Knu_scaled_e")
    }

    // MARK: Sorting

    /// Returns `values` sorted ascending (`gsl_sort`). Callers must have rejected NaN first.
    static func sorted(_ values: [Double]) -> [Double] {
        ready()
        var copy = values
        let n = copy.count
        if n > 1 {
            copy.withUnsafeMutableBufferPointer { buffer in
                gsl_sort(buffer.baseAddress, 1, n)
            }
        }
        return copy
    }
}

extension Stats {
    /// The version string of the GSL this process loaded (`gsl_version`), e.g. "2.7.1".
    public static var gslVersion: String { gsl_version.map { String(cString: $0) } ?? "unknown" }
}
