/// Ray–primitive intersection in the primitive's local frame. Rays are `o + t·d` with `d` not necessarily
/// unit length (the renderer uses directions whose forward component is 1, so `t` is z-depth).
/// Returns the smallest t > `tMin`, or +infinity.
@inline(__always)
func intersect(_ kind: UInt8, _ a: Float, _ b: Float, _ c: Float,
               _ o: SIMD3<Float>, _ d: SIMD3<Float>, tMin: Float) -> Float {
    switch kind {
    case 0: // box, half extents a b c
        let inv = SIMD3<Float>(1, 1, 1) / d
        let h = SIMD3<Float>(a, b, c)
        let t0 = (-h - o) * inv, t1 = (h - o) * inv
        let lo = pointwiseMin(t0, t1), hi = pointwiseMax(t0, t1)
        let tNear = max(lo.x, max(lo.y, lo.z)), tFar = min(hi.x, min(hi.y, hi.z))
        if tNear > tFar || tFar <= tMin { return .infinity }
        return tNear > tMin ? tNear : tFar
    case 1: // sphere radius a
        return sphereHit(o, d, a, tMin)
    case 2: // cylinder radius a, half length b, along z
        var best = cylinderSide(o, d, a, b, tMin)
        if abs(d.z) > 1e-12 {
            let tTop = (b - o.z) / d.z, tBottom = (-b - o.z) / d.z
            let t = min(tTop, tBottom)
            if t > tMin && t < best {
                let x = o.x + t * d.x, y = o.y + t * d.y
                if x * x + y * y <= a * a { best = t }
            }
        }
        return best
    default: // capsule radius a, half length b
        let cylinder = cylinderSide(o, d, a, b, tMin)
        let top = sphereHit(o - SIMD3(0, 0, b), d, a, tMin)
        let bottom = sphereHit(o + SIMD3(0, 0, b), d, a, tMin)
        return min(cylinder, min(top, bottom))
    }
}

/// The open side of a z-axis cylinder of radius r and half length h.
@inline(__always)
func cylinderSide(_ o: SIMD3<Float>, _ d: SIMD3<Float>, _ r: Float, _ h: Float, _ tMin: Float) -> Float {
    let qa = d.x * d.x + d.y * d.y
    if qa <= 1e-12 { return .infinity }
    let qb = o.x * d.x + o.y * d.y
    let qc = o.x * o.x + o.y * o.y - r * r
    let disc = qb * qb - qa * qc
    if disc < 0 { return .infinity }
    let s = disc.squareRoot()
    let t1 = (-qb - s) / qa, t2 = (-qb + s) / qa
    if t1 > tMin, abs(o.z + t1 * d.z) <= h { return t1 }
    if t2 > tMin, abs(o.z + t2 * d.z) <= h { return t2 }
    return .infinity
}

@inline(__always)
func sphereHit(_ o: SIMD3<Float>, _ d: SIMD3<Float>, _ r: Float, _ tMin: Float) -> Float {
    let qa = dot(d, d), qb = dot(o, d), qc = dot(o, o) - r * r
    let disc = qb * qb - qa * qc
    if disc < 0 { return .infinity }
    let s = disc.squareRoot()
    let t1 = (-qb - s) / qa
    if t1 > tMin { return t1 }
    let t2 = (-qb + s) / qa
    return t2 > tMin ? t2 : .infinity
}

/// Outward unit normal at local point `p` on the primitive's surface.
@inline(__always)
func localNormal(_ kind: UInt8, _ a: Float, _ b: Float, _ c: Float, _ p: SIMD3<Float>) -> SIMD3<Float> {
    switch kind {
    case 0:
        let q = SIMD3<Float>(abs(p.x) / a, abs(p.y) / b, abs(p.z) / c)
        if q.x >= q.y && q.x >= q.z { return SIMD3(p.x < 0 ? -1 : 1, 0, 0) }
        if q.y >= q.z { return SIMD3(0, p.y < 0 ? -1 : 1, 0) }
        return SIMD3(0, 0, p.z < 0 ? -1 : 1)
    case 1:
        return p / a
    case 2:
        let radial = (p.x * p.x + p.y * p.y).squareRoot()
        if abs(abs(p.z) - b) < abs(radial - a) { return SIMD3(0, 0, p.z < 0 ? -1 : 1) }
        return radial > 0 ? SIMD3(p.x / radial, p.y / radial, 0) : SIMD3(1, 0, 0)
    default:
        let zc = min(max(p.z, -b), b)
        return normalize(SIMD3(p.x, p.y, p.z - zc))
    }
}
