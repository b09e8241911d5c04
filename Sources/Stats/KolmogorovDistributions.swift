// Null distributions of the Kolmogorov–Smirnov statistics.
//
// These follow the algorithms scipy 1.17 uses (scipy.stats._ksstats and the Cephes/xsf
// `kolmogorov` / `smirnov` functions), so p-values agree with scipy to near double precision:
//
// * `twoSidedSF(n:x:)`  — P(D_n >= x), the exact two-sided one-sample distribution (`kstwo.sf`),
//   chosen per region as in Simard & L'Ecuyer (2011): Ruben–Gambino closed forms, the Durbin matrix
//   (Marsaglia–Tsang–Wang), the Pomeranz recursion, twice the one-sided tail, or Pelz–Good.
// * `oneSidedSF(n:x:)`  — P(D_n^+ >= x) (`ksone.sf`, scipy `smirnov`), Birnbaum–Tingey sum.
// * `limitSF(_:)`       — P(K > x) for the Kolmogorov limit distribution (`kstwobign.sf`).

import Foundation

enum KolmogorovDistributions {
    private static let ep128 = 0x1p128
    private static let em128 = 0x1p-128
    private static let sqrt2pi = (2 * Double.pi).squareRoot()
    private static let log2pi = log(2 * Double.pi)
    private static let piSquared = Double.pi * Double.pi
    private static let piFour = piSquared * piSquared
    private static let piSix = piFour * piSquared

    // MARK: Kolmogorov limit (two-sided, n = ∞)

    /// Survival function of the Kolmogorov distribution, P(K > x) with K = lim sqrt(n) D_n.
    static func limitSF(_ x: Double) -> Double {
        if x.isNaN { return .nan }
        if x <= 0 { return 1 }
        // exp() of anything below -746 is 0: the CDF is 0 below pi / sqrt(746 * 8).
        if x <= Double.pi / (746.0 * 8).squareRoot() { return 1 }
        var sf: Double
        if x <= 0.82 {
            // P(K <= x) = w u (1 + u^8 + u^24 + u^48 + ...), u = exp(-pi^2 / 8x^2), w = sqrt(2pi)/x
            let w = sqrt2pi / x
            let logu8 = -piSquared / (x * x)
            let u = exp(logu8 / 8)
            var p: Double
            if u == 0 {
                p = exp(logu8 / 8 + log(w))
            } else {
                let u8 = exp(logu8)
                let u8cub = pow(u8, 3)
                p = 1.0
                p = 1 + u8cub * p
                p = 1 + u8 * u8 * p
                p = 1 + u8 * p
                p = w * u * p
            }
            sf = 1 - p
        } else {
            // P(K > x) = 2 (v - v^4 + v^9 - v^16 + ...), v = exp(-2x^2)
            let v = exp(-2 * x * x)
            let vsq = v * v
            let v3 = pow(v, 3)
            var p = 1.0
            var vpwr = v3 * v3 * v
            p = 1 - vpwr * p
            vpwr = v3 * vsq
            p = 1 - vpwr * p
            vpwr = v3
            p = 1 - vpwr * p
            sf = 2 * v * p
        }
        return min(max(sf, 0), 1)
    }

    // MARK: Smirnov (one-sided, exact)

    /// P(D_n^+ >= x), the exact one-sided Kolmogorov–Smirnov tail (scipy `smirnov(n, x)`).
    ///
    /// Uses the Birnbaum–Tingey sum of positive terms evaluated in log space (Stirling form with
    /// the n log n parts cancelled), with n x split exactly into integer and fractional parts so
    /// the factors (1 - x - v/n) keep full relative precision. O(n) time. For n > 10^6 the same
    /// asymptotic formula as scipy is used.
    static func oneSidedSF(n: Int, x: Double) -> Double {
        guard n > 0, x >= 0, x <= 1 else { return .nan }
        if n == 1 { return 1 - x }
        if x == 0 { return 1 }
        if x == 1 { return 0 }
        let nd = Double(n)
        // n*x = nxHi + nxLo exactly.
        let nxHi = nd * x
        let nxLo = (-nxHi).addingProduct(nd, x)
        var nxFloor = nxHi.rounded(.down)
        var alpha = (nxHi - nxFloor) + nxLo
        if alpha < 0 {
            nxFloor -= 1
            alpha += 1
        }
        if alpha >= 1 {
            nxFloor += 1
            alpha -= 1
        }
        let nxfl = Int(nxFloor)

        if nxfl == 0 || (nxfl == 1 && alpha == 0) {
            // x <= 1/n: P(D+ < x) = x (1 + x)^(n-1)
            let cdf = x * exp(Double(n - 1) * log1p(x))
            return min(max(1 - cdf, 0), 1)
        }
        if -2 * nd * x * x < -745.1332191019412 { return 0 }
        if nxfl >= n - 1 {
            return exp(nd * log1p(-x))
        }
        if n > 1_000_000 {
            let logp = -pow(6.0 * nd * x + 1, 2) / 18.0 / nd
            if logp < -M_LN2 { return exp(logp) }
            return 1 - (-expm1(logp))
        }
        // sf = x * sum_{v=0}^{lastV} C(n,v) (x + v/n)^(v-1) (1 - x - v/n)^(n-v)
        // Each term is evaluated in log space with Stirling's formula for C(n, v) written so that
        // the large n log n parts cancel analytically:
        //   log term_v = v log1p(nx/v) + (n-v) log(1 - nx/(n-v)) - log((v + nx)/n)
        //                + ½ log(n / (2π v (n-v))) + δ(n) - δ(v) - δ(n-v),
        // δ the Stirling remainder. The absolute error of every log term is then O(n x ε)
        // instead of O(n log n ε).
        let lastV = n - nxfl - 1
        let nxExact = Double(nxfl) + alpha  // n*x to within one rounding
        let deltaN = stirlingRemainder(n)
        // v = 0: x^(-1) (1 - x)^n
        var maxLog = -log(x) + nd * log1p(-x)
        var scaledSum = 1.0
        if lastV >= 1 {
            for v in 1...lastV {
                let vd = Double(v)
                let rest = Double(n - v)
                let ratio = nxExact / rest
                let logB = ratio < 0.5 ? log1p(-ratio) : log(Double(n - nxfl - v) - alpha) - log(rest)
                var term = vd * log1p(nxExact / vd) + rest * logB
                term -= log(Double(nxfl + v) + alpha) - log(nd)
                term += 0.5 * log(nd / (2 * Double.pi * vd * rest))
                term += deltaN - stirlingRemainder(v) - stirlingRemainder(n - v)
                if term > maxLog {
                    scaledSum = scaledSum * exp(maxLog - term) + 1
                    maxLog = term
                } else {
                    scaledSum += exp(term - maxLog)
                }
            }
        }
        let sf = exp(log(x) + maxLog + log(scaledSum))
        return min(max(sf, 0), 1)
    }

    /// δ(k) = log k! − (k log k − k + ½ log 2πk), the remainder of Stirling's formula (k ≥ 1).
    private static func stirlingRemainder(_ k: Int) -> Double {
        let kd = Double(k)
        if k < 30 {
            return GSL.lnFactorial(k) - (kd * log(kd) - kd + 0.5 * log(2 * Double.pi * kd))
        }
        let r = 1 / kd, r2 = r * r
        return r * (1.0 / 12 - r2 * (1.0 / 360 - r2 * (1.0 / 1260 - r2 / 1680)))
    }

    // MARK: Two-sided, exact (Simard–L'Ecuyer selection, as scipy kstwo)

    /// P(D_n >= x) for the two-sided one-sample statistic (scipy `kstwo.sf(x, n)`).
    static func twoSidedSF(n: Int, x: Double) -> Double {
        guard n > 0, !x.isNaN else { return .nan }
        if x >= 1 { return 0 }
        if x <= 0 { return 1 }
        let nd = Double(n)
        let t = nd * x
        if t <= 1 {
            // Ruben–Gambino: 1/2n <= x <= 1/n
            if t <= 0.5 { return 1 }
            let prob: Double
            if n <= 140 {
                var p = 1.0
                let inv = 1.0 / nd
                for i in 1...n { p *= Double(i) * inv * (2 * t - 1) }
                prob = p
            } else {
                prob = exp(logFactorialOverPower(n) + nd * log(2 * t - 1))
            }
            return clip(1 - prob)
        }
        if t >= nd - 1 {
            // Ruben–Gambino: x >= 1 - 1/n
            return clip(2 * pow(1 - x, nd))
        }
        if x >= 0.5 {
            return clip(2 * oneSidedSF(n: n, x: x))
        }
        let nxSquared = t * x
        if n <= 140 {
            if nxSquared <= 0.754693 { return clip(1 - clip(durbinMatrixCDF(n: n, d: x))) }
            if nxSquared <= 4 { return clip(1 - clip(pomeranzCDF(n: n, x: x))) }
            return clip(2 * oneSidedSF(n: n, x: x))
        }
        if nxSquared >= 370 { return 0 }
        if nxSquared >= 2.2 { return clip(2 * oneSidedSF(n: n, x: x)) }
        let cdf: Double
        if nxSquared >= 18 {
            cdf = 1
        } else if n <= 100_000 && nd * pow(x, 1.5) <= 1.4 {
            cdf = clip(durbinMatrixCDF(n: n, d: x))
        } else {
            cdf = pelzGoodCDF(n: n, x: x)
        }
        return clip(1 - cdf)
    }

    @inline(__always) private static func clip(_ p: Double) -> Double { min(max(p, 0), 1) }

    /// log(n! / n^n) by Stirling's series with n log n removed up front.
    private static func logFactorialOverPower(_ n: Int) -> Double {
        let coefficients: [Double] = [
            -2.955065359477124183e-2, 6.4102564102564102564e-3,
            -1.9175269175269175269e-3, 8.4175084175084175084e-4,
            -5.952380952380952381e-4, 7.9365079365079365079e-4,
            -2.7777777777777777778e-3, 8.3333333333333333333e-2,
        ]
        let nd = Double(n)
        let rn = 1.0 / nd
        let y = rn / nd
        var poly = 0.0
        for c in coefficients { poly = poly * y + c }
        return log(nd) / 2 - nd + log2pi / 2 + rn * poly
    }

    /// P(D_n <= d) by Durbin's matrix method as organised by Marsaglia, Tsang & Wang (2003):
    /// the k-th diagonal entry of (n!/n^n) H^n, with H of size (2k-1), k = ceil(n d).
    static func durbinMatrixCDF(n: Int, d: Double) -> Double {
        if d >= 1 { return 1 }
        let nd = Double(n) * d
        if nd <= 0.5 { return 0 }
        let k = Int(nd.rounded(.up))
        let h = Double(k) - nd
        let m = 2 * k - 1

        var v = [Double](repeating: 0, count: m)
        var w = [Double](repeating: 0, count: m)
        var fac = 1.0
        for j in 1...m {
            v[j - 1] = 1.0 - pow(h, Double(j))
            w[j - 1] = fac
            fac /= Double(j)
            v[j - 1] *= fac
        }
        let tt = pow(max(2 * h - 1, 0), Double(m)) - 2 * pow(h, Double(m))
        v[m - 1] = (1.0 + tt) * fac

        var hMatrix = [Double](repeating: 0, count: m * m)
        for i in 1..<max(m, 1) {
            // H[i-1:, i] = w[:m-i+1]
            for r in (i - 1)..<m { hMatrix[r * m + i] = w[r - (i - 1)] }
        }
        for r in 0..<m { hMatrix[r * m] = v[r] }
        for c in 0..<m { hMatrix[(m - 1) * m + c] = v[m - 1 - c] }

        var power = [Double](repeating: 0, count: m * m)
        for i in 0..<m { power[i * m + i] = 1 }
        var nn = n
        var exponent = 0
        var hExponent = 0
        while nn > 0 {
            if nn % 2 == 1 {
                power = multiply(power, hMatrix, m)
                exponent += hExponent
            }
            hMatrix = multiply(hMatrix, hMatrix, m)
            hExponent *= 2
            if abs(hMatrix[(k - 1) * m + (k - 1)]) > ep128 {
                for i in hMatrix.indices { hMatrix[i] /= ep128 }
                hExponent += 128
            }
            nn /= 2
        }
        var p = power[(k - 1) * m + (k - 1)]
        let nDouble = Double(n)
        for i in 1...n {
            p = Double(i) * p / nDouble
            if abs(p) < em128 {
                p *= ep128
                exponent -= 128
            }
        }
        if exponent != 0 { p = Double(sign: .plus, exponent: exponent, significand: p) }
        return p
    }

    private static func multiply(_ a: [Double], _ b: [Double], _ m: Int) -> [Double] {
        var c = [Double](repeating: 0, count: m * m)
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                c.withUnsafeMutableBufferPointer { pc in
                    for i in 0..<m {
                        for l in 0..<m {
                            let ail = pa[i * m + l]
                            if ail == 0 { continue }
                            for j in 0..<m { pc[i * m + j] += ail * pb[l * m + j] }
                        }
                    }
                }
            }
        }
        return c
    }

    private static func pomeranzBounds(_ i: Int, _ n: Int, _ ll: Int, _ ceilf: Int, _ roundf: Int) -> (Int, Int) {
        var j1: Int
        var j2: Int
        if i == 0 {
            j1 = -ll - ceilf - 1
            j2 = ll + ceilf - 1
        } else {
            let ip1div2 = (i + 1) / 2
            let ip1mod2 = (i + 1) % 2
            if ip1mod2 == 0 {
                if ip1div2 == n + 1 {
                    j1 = n - ll - ceilf - 1
                    j2 = n + ll + ceilf - 1
                } else {
                    j1 = ip1div2 - 1 - ll - roundf - 1
                    j2 = ip1div2 + ll - 1 + ceilf - 1
                }
            } else {
                j1 = ip1div2 - 1 - ll - 1
                j2 = ip1div2 + ll + roundf - 1
            }
        }
        return (max(j1 + 2, 0), min(j2, n))
    }

    /// P(D_n <= x) by the Pomeranz (1974) recursion (two rows of Poisson-weighted convolutions).
    static func pomeranzCDF(n: Int, x: Double) -> Double {
        let nd = Double(n)
        let t = nd * x
        let ll = Int(t.rounded(.down))
        let f = t - Double(ll)
        let g = min(f, 1.0 - f)
        let ceilf = f > 0 ? 1 : 0
        let roundf = f > 0.5 ? 1 : 0
        let npwrs = 2 * (ll + 1)
        var gpower = [Double](repeating: 0, count: npwrs)
        var twogpower = [Double](repeating: 0, count: npwrs)
        var onem2gpower = [Double](repeating: 0, count: npwrs)
        gpower[0] = 1
        twogpower[0] = 1
        onem2gpower[0] = 1
        var exponent = 0
        let gOverN = g / nd, twoGOverN = 2 * g / nd, oneMinusTwoGOverN = (1 - 2 * g) / nd
        for m in 1..<npwrs {
            gpower[m] = gpower[m - 1] * gOverN / Double(m)
            twogpower[m] = twogpower[m - 1] * twoGOverN / Double(m)
            onem2gpower[m] = onem2gpower[m - 1] * oneMinusTwoGOverN / Double(m)
        }
        var v0 = [Double](repeating: 0, count: npwrs)
        var v1 = [Double](repeating: 0, count: npwrs)
        v1[0] = 1
        var v0s = 0, v1s = 0
        var (j1, j2) = pomeranzBounds(0, n, ll, ceilf, roundf)
        var conv = [Double](repeating: 0, count: 2 * npwrs)
        for i in 1..<(2 * n + 2) {
            let k1 = j1
            swap(&v0, &v1)
            swap(&v0s, &v1s)
            for idx in v1.indices { v1[idx] = 0 }
            (j1, j2) = pomeranzBounds(i, n, ll, ceilf, roundf)
            let pwrs = (i == 1 || i == 2 * n + 1) ? gpower : (i % 2 == 1 ? twogpower : onem2gpower)
            let ln2 = j2 - k1 + 1
            if ln2 > 0 {
                // conv = np.convolve(V0[k1 - V0s : k1 - V0s + ln2], pwrs[:ln2]) (slices clamp)
                let aStart = k1 - v0s
                let aEnd = min(aStart + ln2, npwrs)
                let la = max(aEnd - aStart, 0)
                let lb = min(ln2, npwrs)
                let convLength = la + lb - 1
                if convLength > 0 {
                    for idx in 0..<convLength { conv[idx] = 0 }
                    for ia in 0..<la {
                        let av = v0[aStart + ia]
                        if av == 0 { continue }
                        for ib in 0..<lb { conv[ia + ib] += av * pwrs[ib] }
                    }
                }
                let convStart = j1 - k1
                let convLen = j2 - j1 + 1
                if convLen > 0 {
                    for idx in 0..<convLen {
                        let src = convStart + idx
                        v1[idx] = (src >= 0 && src < convLength) ? conv[src] : 0
                    }
                }
                var maxV = -Double.infinity
                for value in v1 where value > maxV { maxV = value }
                if maxV > 0 && maxV < em128 {
                    for idx in v1.indices { v1[idx] *= ep128 }
                    exponent -= 128
                }
                v1s = v0s + j1 - k1
            }
        }
        let index = n - v1s
        var answer = (index >= 0 && index < npwrs) ? v1[index] : 0
        for m in 1...n {
            if abs(answer) > ep128 {
                answer *= em128
                exponent += 128
            }
            answer *= Double(m)
        }
        if exponent != 0 { answer = Double(sign: .plus, exponent: exponent, significand: answer) }
        return answer
    }

    /// Pelz–Good (1976) approximation to P(D_n <= x): the Li-Chien/Korolyuk expansion to
    /// order n^(-3/2), rewritten with Jacobi theta identities for small sqrt(n) x.
    static func pelzGoodCDF(n: Int, x: Double) -> Double {
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        let nd = Double(n)
        let z = nd.squareRoot() * x
        let zsquared = pow(z, 2), zthree = pow(z, 3), zfour = pow(z, 4), zsix = pow(z, 6)
        let qlog = -piSquared / 8 / zsquared
        if qlog < -708 { return 0 }
        var q = exp(qlog)

        let k1a = -zsquared
        let k1b = piSquared / 4
        let k2a = 6 * zsix + 2 * zfour
        let k2b = (2 * zfour - 5 * zsquared) * piSquared / 4
        let k2c = piFour * (1 - 2 * zsquared) / 16
        let k3d = piSix * (5 - 30 * zsquared) / 64
        let k3c = piFour * (-60 * zsquared + 212 * zfour) / 16
        let k3b = piSquared * (135 * zfour - 96 * zsix) / 4
        let k3a = -30 * zsix - 90 * pow(z, 8)

        var k0to3 = [0.0, 0.0, 0.0, 0.0]
        let maxk = Int((16 * z / Double.pi).rounded(.up))
        var k = maxk
        while k > 0 {
            let m = Double(2 * k - 1)
            let msquared = m * m, mfour = msquared * msquared, msix = mfour * msquared
            let qpower = pow(q, Double(8 * k))
            let coeffs = [1.0,
                          k1a + k1b * msquared,
                          k2a + k2b * msquared + k2c * mfour,
                          k3a + k3b * msquared + k3c * mfour + k3d * msix]
            for i in 0..<4 { k0to3[i] = k0to3[i] * qpower + coeffs[i] }
            k -= 1
        }
        let divisors = [z, 6 * zfour, 72 * pow(z, 7), 6480 * pow(z, 10)]
        for i in 0..<4 { k0to3[i] = k0to3[i] * q * sqrt2pi / divisors[i] }

        q = exp(-piSquared / 2 / zsquared)
        var k2extra = 0.0
        var k3extra = 0.0
        let sqrt3z = 3.0.squareRoot() * z
        k = maxk
        while k > 0 {
            let ksq = Double(k * k)
            let qp = pow(q, ksq)
            let kspi = Double.pi * Double(k)
            k2extra += ksq * qp
            k3extra += (sqrt3z + kspi) * (sqrt3z - kspi) * ksq * qp
            k -= 1
        }
        k2extra *= piSquared * sqrt2pi / (-36 * zthree)
        k0to3[2] += k2extra
        k3extra *= piSquared * sqrt2pi / (216 * zsix)
        k0to3[3] += k3extra
        var total = 0.0
        for i in 0..<4 { total += k0to3[i] / pow(nd, Double(i) / 2) }
        return total
    }
}

// MARK: - Two-sample exact distributions

enum SmirnovTwoSample {
    /// P(D_{n,n} >= h/n) for equal sample sizes (scipy `_compute_prob_outside_square`).
    static func probOutsideSquare(n: Int, h: Int) -> Double {
        var p = 0.0
        var k = n / h
        while k >= 0 {
            var p1 = 1.0
            for j in 0..<h {
                p1 = Double(n - k * h - j) * p1 / Double(n + k * h + j + 1)
            }
            p = p1 * (1.0 - p)
            k -= 1
        }
        return 2 * p
    }

    /// P(D_{m,n} >= h / lcm(m,n)) by Hodges' inside method, computing 1 - p directly
    /// (Viehmann 2021), as scipy `_compute_outer_prob_inside_method`.
    static func outerProbInside(m mIn: Int, n nIn: Int, g: Int, h: Int) -> Double {
        let m = max(mIn, nIn), n = min(mIn, nIn)
        let mg = m / g
        let ng = n / g
        let hD = Double(h), mgD = Double(mg)
        var minj = 0
        var maxj = min(Int((hD / mgD).rounded(.up)), n + 1)
        var curlen = maxj - minj
        let lenA = min(2 * maxj + 2, n + 1)
        var a = [Double](repeating: 1, count: lenA)
        for j in minj..<maxj where j < lenA { a[j] = 0 }
        for i in 1...m {
            let lastminj = minj, lastlen = curlen
            minj = max(Int((Double(ng * i - h) / mgD).rounded(.down)) + 1, 0)
            minj = min(minj, n)
            maxj = min(Int((Double(ng * i + h) / mgD).rounded(.up)), n + 1)
            if maxj <= minj { return 1.0 }
            var value = minj == 0 ? 0.0 : 1.0
            let iD = Double(i)
            for jj in 0..<(maxj - minj) {
                let j = jj + minj
                value = (a[jj + minj - lastminj] * iD + value * Double(j)) / Double(i + j)
                a[jj] = value
            }
            curlen = maxj - minj
            if lastlen > curlen {
                let start = maxj - minj
                let end = min(start + (lastlen - curlen), lenA)
                if start < end { for idx in start..<end { a[idx] = 1 } }
            }
        }
        return a[maxj - minj - 1]
    }
}
