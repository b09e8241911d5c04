/// Mask operations that reproduce pycocotools' `maskApi.c` bit for bit (same integer casts, same rounding,
/// same quirks), so that areas, boxes and IoUs computed here equal pycocotools' numbers.
extension RLE {
    /// C's `(int)d` on x86-64: truncation toward zero; NaN and out-of-range values give INT_MIN.
    @inline(__always)
    static func cInt(_ d: Double) -> Int32 {
        if d.isNaN || d >= 2147483648.0 || d <= -2147483649.0 { return Int32.min }
        return Int32(d.rounded(.towardZero))
    }

    /// Boundary points `fromPolygon` walks for one polygon (Σ max(|dx|, |dy|) + 1 over its edges, at 5× scale), or
    /// nil when that is more than `limit`: a polygon whose rasterization would need more memory than any real mask.
    /// Coordinates must already be finite and within ±1e7.
    public static func polygonWalkLength(_ xy: [Double], limit: Int = 1 << 24) -> Int? {
        let k = xy.count / 2
        guard k > 0 else { return 0 }
        var m = 0
        for j in 0..<k {
            let n = (j + 1) % k
            let dx = abs(Int(cInt(5 * xy[j * 2] + 0.5)) - Int(cInt(5 * xy[n * 2] + 0.5)))
            let dy = abs(Int(cInt(5 * xy[j * 2 + 1] + 0.5)) - Int(cInt(5 * xy[n * 2 + 1] + 0.5)))
            m += max(dx, dy) + 1
            if m > limit { return nil }
        }
        return m
    }

    /// Sum of all runs (should be height × width).
    public var pixelCount: Int {
        var s = 0
        for c in counts { s += Int(c) }
        return s
    }

    /// An empty (all background) mask.
    public static func empty(height: Int, width: Int) -> RLE {
        RLE(height: height, width: width, counts: height * width > 0 ? [UInt32(truncatingIfNeeded: height * width)] : [])
    }

    /// pycocotools `frPoly` for one polygon (`rleFrPoly`): `xy` holds x0, y0, x1, y1, …; an odd trailing value
    /// is ignored, as `int(len(p)/2)` does.
    public static func fromPolygon(_ xy: [Double], height: Int, width: Int) -> RLE {
        xy.withUnsafeBufferPointer { fromPolygon($0, count: xy.count / 2, height: height, width: width) }
    }

    static func fromPolygon(_ xy: UnsafeBufferPointer<Double>, count k: Int, height h: Int, width w: Int) -> RLE {
        if k == 0 {
            // rleFrPoly with k == 0 reads x[0] uninitialized; pycocotools never gets here with valid input.
            return empty(height: h, width: w)
        }
        let scale = 5.0
        var x = [Int32](repeating: 0, count: k + 1)
        var y = [Int32](repeating: 0, count: k + 1)
        for j in 0..<k { x[j] = cInt(scale * xy[j * 2] + 0.5) }
        x[k] = x[0]
        for j in 0..<k { y[j] = cInt(scale * xy[j * 2 + 1] + 0.5) }
        y[k] = y[0]
        var m = 0
        for j in 0..<k {
            let dx = abs(Int(x[j]) - Int(x[j + 1])), dy = abs(Int(y[j]) - Int(y[j + 1]))
            m += max(dx, dy) + 1
        }
        var u = [Int32](repeating: 0, count: m)
        var v = [Int32](repeating: 0, count: m)
        m = 0
        u.withUnsafeMutableBufferPointer { u in
            v.withUnsafeMutableBufferPointer { v in
                for j in 0..<k {
                    var xs = x[j], xe = x[j + 1], ys = y[j], ye = y[j + 1]
                    let dx = Int32(truncatingIfNeeded: abs(Int(xe) - Int(xs)))
                    let dy = Int32(truncatingIfNeeded: abs(Int(ys) - Int(ye)))
                    let flip = (dx >= dy && xs > xe) || (dx < dy && ys > ye)
                    if flip { swap(&xs, &xe); swap(&ys, &ye) }
                    let s = dx >= dy ? Double(ye &- ys) / Double(dx) : Double(xe &- xs) / Double(dy)
                    if dx >= dy {
                        var d: Int32 = 0
                        while d <= dx {
                            let t = flip ? dx - d : d
                            u[m] = t &+ xs
                            v[m] = cInt(Double(ys) + s * Double(t) + 0.5)
                            m += 1; d += 1
                        }
                    } else {
                        var d: Int32 = 0
                        while d <= dy {
                            let t = flip ? dy - d : d
                            v[m] = t &+ ys
                            u[m] = cInt(Double(xs) + s * Double(t) + 0.5)
                            m += 1; d += 1
                        }
                    }
                }
            }
        }
        // Points along the y-boundary, downsampled.
        let total = m
        var bx = [Int32](); bx.reserveCapacity(total / 5 + 2)
        var by = [Int32](); by.reserveCapacity(total / 5 + 2)
        let wm1 = Double(UInt(bitPattern: w &- 1)), hd = Double(UInt(bitPattern: h))
        if total > 1 {
            for j in 1..<total where u[j] != u[j - 1] {
                var xd = Double(u[j] < u[j - 1] ? u[j] : u[j] &- 1)
                xd = (xd + 0.5) / scale - 0.5
                if xd.rounded(.down) != xd || xd < 0 || xd > wm1 { continue }
                var yd = Double(v[j] < v[j - 1] ? v[j] : v[j - 1])
                yd = (yd + 0.5) / scale - 0.5
                if yd < 0 { yd = 0 } else if yd > hd { yd = hd }
                yd = yd.rounded(.up)
                bx.append(cInt(xd)); by.append(cInt(yd))
            }
        }
        // RLE from the boundary points.
        let n = bx.count
        var a = [UInt32](repeating: 0, count: n + 1)
        let hi = Int32(truncatingIfNeeded: h)
        for j in 0..<n { a[j] = UInt32(bitPattern: bx[j] &* hi &+ by[j]) }
        a[n] = UInt32(truncatingIfNeeded: h &* w)
        a.sort()
        var p: UInt32 = 0
        for j in 0..<a.count { let t = a[j]; a[j] &-= p; p = t }
        var b: [UInt32] = []
        b.reserveCapacity(a.count)
        var j = 0
        b.append(a[j]); j += 1
        while j < a.count {
            if a[j] > 0 { b.append(a[j]); j += 1 } else {
                j += 1
                if j < a.count { b[b.count - 1] &+= a[j]; j += 1 }
            }
        }
        return RLE(height: h, width: w, counts: b)
    }

    /// pycocotools `frBbox` (`rleFrBbox`): the box as a 4-point polygon.
    public static func fromBox(x: Double, y: Double, w bw: Double, h bh: Double, height: Int, width: Int) -> RLE {
        let xs = x, xe = x + bw, ys = y, ye = y + bh
        return fromPolygon([xs, ys, xs, ye, xe, ye, xe, ys], height: height, width: width)
    }

    /// pycocotools `merge` (`rleMerge`): union (or intersection) of masks of one size.
    public static func merge(_ rles: [RLE], intersect: Bool = false) -> RLE {
        if rles.isEmpty { return RLE(height: 0, width: 0, counts: []) }
        if rles.count == 1 { return rles[0] }
        var h = rles[0].height, w = rles[0].width
        var cnts = rles[0].counts
        for i in 1..<rles.count {
            let B = rles[i]
            if B.height != h || B.width != w { h = 0; w = 0; cnts = []; break }
            let A = cnts
            if A.isEmpty || B.counts.isEmpty {
                // maskApi reads cnts[0] of an empty RLE (undefined); treat an empty one as all background.
                cnts = A.isEmpty ? B.counts : A
                continue
            }
            var out: [UInt32] = []
            out.reserveCapacity(A.count + B.counts.count)
            var ca = A[0], cb = B.counts[0]
            var v = false, va = false, vb = false
            var a = 1, b = 1
            var cc: UInt32 = 0
            var ct: UInt32 = 1
            while ct > 0 {
                let c = Swift.min(ca, cb)
                cc &+= c
                ct = 0
                ca &-= c
                if ca == 0 && a < A.count { ca = A[a]; a += 1; va.toggle() }
                ct &+= ca
                cb &-= c
                if cb == 0 && b < B.counts.count { cb = B.counts[b]; b += 1; vb.toggle() }
                ct &+= cb
                let vp = v
                v = intersect ? (va && vb) : (va || vb)
                if v != vp || ct == 0 { out.append(cc); cc = 0 }
            }
            cnts = out
        }
        return RLE(height: h, width: w, counts: cnts)
    }

    /// maskApi `bbIou`: IoU of boxes `[x, y, w, h]`; for a crowd ground truth the union is the detection's area.
    @inline(__always)
    public static func boxIoU(_ d: (Double, Double, Double, Double), _ g: (Double, Double, Double, Double),
                              crowd: Bool) -> Double {
        let ga = g.2 * g.3, da = d.2 * d.3
        let w = Swift.min(d.2 + d.0, g.2 + g.0) - Swift.max(d.0, g.0)
        if w <= 0 { return 0 }
        let h = Swift.min(d.3 + d.1, g.3 + g.1) - Swift.max(d.1, g.1)
        if h <= 0 { return 0 }
        let i = w * h
        let u = crowd ? da : da + ga - i
        return i / u
    }

    /// maskApi `rleIou` for one pair, given both masks' `bbox` (the box prefilter is part of its result).
    public static func maskIoU(_ dt: RLE, _ gt: RLE, dtBox: (x: Double, y: Double, w: Double, h: Double),
                               gtBox: (x: Double, y: Double, w: Double, h: Double), crowd: Bool) -> Double {
        let o = boxIoU((dtBox.x, dtBox.y, dtBox.w, dtBox.h), (gtBox.x, gtBox.y, gtBox.w, gtBox.h), crowd: crowd)
        if !(o > 0) { return o }
        if dt.height != gt.height || dt.width != gt.width { return -1 }
        if dt.counts.isEmpty || gt.counts.isEmpty { return 0 }
        return dt.counts.withUnsafeBufferPointer { A in
            gt.counts.withUnsafeBufferPointer { B in
                var ca = A[0], cb = B[0]
                let ka = A.count, kb = B.count
                var va = false, vb = false
                var a = 1, b = 1
                var i: UInt32 = 0, u: UInt32 = 0, ct: UInt32 = 1
                while ct > 0 {
                    let c = Swift.min(ca, cb)
                    if va || vb { u &+= c; if va && vb { i &+= c } }
                    ct = 0
                    ca &-= c
                    if ca == 0 && a < ka { ca = A[a]; a += 1; va.toggle() }
                    ct &+= ca
                    cb &-= c
                    if cb == 0 && b < kb { cb = B[b]; b += 1; vb.toggle() }
                    ct &+= cb
                }
                if i == 0 { u = 1 } else if crowd { u = UInt32(truncatingIfNeeded: dt.area) }
                return Double(i) / Double(u)
            }
        }
    }

    /// pycocotools `encode` (`rleEncode`) of a column-major (Fortran order) binary mask.
    public static func encode(columnMajor mask: [UInt8], height: Int, width: Int) -> RLE {
        var counts: [UInt32] = []
        var p: UInt8 = 0
        var c: UInt32 = 0
        for j in 0..<(height * width) {
            let t = mask[j]
            if t != p { counts.append(c); c = 0; p = t }
            c += 1
        }
        counts.append(c)
        return RLE(height: height, width: width, counts: counts)
    }

    /// pycocotools `decode` (`rleDecode`): the column-major mask (0/1).
    public func decodeColumnMajor() -> [UInt8] {
        var out = [UInt8](repeating: 0, count: height * width)
        var v: UInt8 = 0
        var k = 0
        for c in counts {
            let n = Int(c)
            if v == 1 { for i in k..<min(k + n, out.count) { out[i] = 1 } }
            k += n
            v ^= 1
        }
        return out
    }
}
