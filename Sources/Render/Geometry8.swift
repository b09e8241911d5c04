// Ray–primitive intersection, surface normals, sun visibility and GGX shading, on eight rays at once.

/// Ray–primitive intersection in the primitive's local frame, per lane. Rays are `o + t·d` with `d` not
/// necessarily unit length (the renderer's directions have forward component 1, so `t` is z-depth). Returns the
/// smallest t > `tMin`, or +infinity. Box: half extents a b c; sphere: radius a; cylinder and capsule: radius a,
/// half length b, along local z.
@inline(__always)
func intersect8(_ kind: UInt8, _ a: Float, _ b: Float, _ c: Float, _ o: V8, _ d: V8, tMin: Float) -> F8 {
    switch kind {
    case 0: // box, half extents a b c
        let ix = 1 / d.x, iy = 1 / d.y, iz = 1 / d.z
        let x0 = (-a - o.x) * ix, x1 = (a - o.x) * ix
        let y0 = (-b - o.y) * iy, y1 = (b - o.y) * iy
        let z0 = (-c - o.z) * iz, z1 = (c - o.z) * iz
        let tNear = max8(max8(min8(x0, x1), min8(y0, y1)), min8(z0, z1))
        let tFar = min8(min8(max8(x0, x1), max8(y0, y1)), max8(z0, z1))
        let t = tNear.replacing(with: tFar, where: tNear .<= tMin)
        return t.replacing(with: .infinity, where: (tNear .> tFar) .| (tFar .<= tMin))
    case 1: // sphere radius a
        return sphereHit8(o, d, a, tMin)
    case 2: // cylinder radius a, half length b, along z
        let side = cylinderSide8(o, d, a, b, tMin)
        let tTop = (b - o.z) / d.z, tBottom = (-b - o.z) / d.z
        let t = min8(tTop, tBottom)
        let x = o.x + t * d.x, y = o.y + t * d.y
        let cap = (t .> tMin) .& (t .< side) .& (x * x + y * y .<= a * a) .& (abs8(d.z) .> 1e-12)
        return side.replacing(with: t, where: cap)
    default: // capsule radius a, half length b
        let side = cylinderSide8(o, d, a, b, tMin)
        let top = sphereHit8(o - SIMD3(0, 0, b), d, a, tMin)
        let bottom = sphereHit8(o + SIMD3(0, 0, b), d, a, tMin)
        return min8(side, min8(top, bottom))
    }
}

@inline(__always)
func sphereHit8(_ o: V8, _ d: V8, _ r: Float, _ tMin: Float) -> F8 {
    let qa = d.dot(d), qb = o.dot(d), qc = o.dot(o) - r * r
    let disc = qb * qb - qa * qc
    let s = sqrt8(max8(disc, F8(repeating: 0)))
    let t1 = (-qb - s) / qa, t2 = (-qb + s) / qa
    let t = t1.replacing(with: t2.replacing(with: .infinity, where: t2 .<= tMin), where: t1 .<= tMin)
    return t.replacing(with: .infinity, where: disc .< 0)
}

@inline(__always)
func cylinderSide8(_ o: V8, _ d: V8, _ r: Float, _ h: Float, _ tMin: Float) -> F8 {
    let qa = d.x * d.x + d.y * d.y
    let qb = o.x * d.x + o.y * d.y
    let qc = o.x * o.x + o.y * o.y - r * r
    let disc = qb * qb - qa * qc
    let s = sqrt8(max8(disc, F8(repeating: 0)))
    let t1 = (-qb - s) / qa, t2 = (-qb + s) / qa
    let ok1 = (t1 .> tMin) .& (abs8(o.z + t1 * d.z) .<= h)
    let ok2 = (t2 .> tMin) .& (abs8(o.z + t2 * d.z) .<= h)
    let t = F8(repeating: .infinity).replacing(with: t2, where: ok2).replacing(with: t1, where: ok1)
    return t.replacing(with: .infinity, where: (qa .<= 1e-12) .| (disc .< 0))
}

/// Outward unit normal at local surface points `p`.
@inline(__always)
func localNormal8(_ kind: UInt8, _ a: Float, _ b: Float, _ c: Float, _ p: V8) -> V8 {
    let one = F8(repeating: 1), zero = F8(repeating: 0)
    @inline(__always) func sign(_ v: F8) -> F8 { one.replacing(with: -1, where: v .< 0) }
    switch kind {
    case 0:
        let qx = abs8(p.x) / a, qy = abs8(p.y) / b, qz = abs8(p.z) / c
        let onX = (qx .>= qy) .& (qx .>= qz)
        let onY = .!onX .& (qy .>= qz)
        let onZ = .!onX .& .!onY
        return V8(zero.replacing(with: sign(p.x), where: onX), zero.replacing(with: sign(p.y), where: onY),
                  zero.replacing(with: sign(p.z), where: onZ))
    case 1:
        return p * (1 / a)
    case 2:
        let radial = sqrt8(p.x * p.x + p.y * p.y)
        let cap = abs8(abs8(p.z) - b) .< abs8(radial - a)
        let inv = 1 / radial.replacing(with: 1, where: radial .<= 0)
        let sx = (p.x * inv).replacing(with: 1, where: radial .<= 0), sy = (p.y * inv).replacing(with: 0, where: radial .<= 0)
        return V8(sx.replacing(with: 0, where: cap), sy.replacing(with: 0, where: cap), zero.replacing(with: sign(p.z), where: cap))
    default:
        let zc = min8(max8(p.z, F8(repeating: -b)), F8(repeating: b))
        return V8(p.x, p.y, p.z - zc).normalized
    }
}

extension Prepared {
    @inline(__always) func toLocal8(_ v: V8) -> V8 { V8(v.dot(col0), v.dot(col1), v.dot(col2)) }
    @inline(__always) func toWorld8(_ v: V8) -> V8 { V8(v.dot(row0), v.dot(row1), v.dot(row2)) }

    /// Does the ray from each point toward the sun `l` hit this object? (Bounding-sphere test first.)
    @inline(__always) func blocks8(_ point: V8, _ l: SIMD3<Float>) -> SIMDMask<I8> {
        let oc = point - position
        let bq = oc.dot(l), cq = oc.dot(oc) - bound * bound
        let candidate = .!((cq .> 0) .& (bq .> 0)) .& (bq * bq - cq .>= 0)
        if bits8(candidate) == 0 { return candidate }
        let t = intersect8(kind, a, b, c, toLocal8(oc), V8(toLocal(l)), tMin: 1e-4)
        return candidate .& (t .< .infinity)
    }
}

/// Cook–Torrance with the GGX distribution, Smith–Schlick geometry and Schlick Fresnel, at eight surface points
/// with normals `n`, view directions `v` and sun visibility `visible` (0 or 1): the sun's irradiance `sun` scaled
/// so that a white Lambertian surface facing the sun returns it, plus an ambient sky term.
@inline(__always)
func shadeGGX8(n: V8, v: V8, l: SIMD3<Float>, m: Material, sun: SIMD3<Float>, visible: F8,
               ambient: SIMD3<Float>) -> V8 {
    let f0 = SIMD3<Float>(repeating: 0.04) * (1 - m.metallic) + m.albedo * m.metallic
    let diffuseColor = m.albedo * (1 - m.metallic)
    let base = ambient * (diffuseColor + 0.5 * f0)
    let nlRaw = n.dot(l)
    let lit = (nlRaw .> 0) .& (visible .> 0)
    if bits8(lit) == 0 || (sun.x + sun.y + sun.z) == 0 { return V8(base) }
    let nl = max8(nlRaw, F8(repeating: 1e-4))
    let nv = max8(n.dot(v), F8(repeating: 1e-4))
    let h = (v + l).normalized
    let nh = max8(n.dot(h), F8(repeating: 0)), vh = max8(v.dot(h), F8(repeating: 0))
    let alpha = m.roughness * m.roughness
    let a2 = alpha * alpha
    let den = nh * nh * (a2 - 1) + 1
    let dTerm = a2 / (Float.pi * den * den)
    let k = (m.roughness + 1) * (m.roughness + 1) / 8
    let g = nv / (nv * (1 - k) + k) * nl / (nl * (1 - k) + k)
    let fw1 = 1 - vh, fw2 = fw1 * fw1
    let fw = fw2 * fw2 * fw1
    let specularScale = dTerm * g / (4 * nv * nl)
    let irradiance = nl * Float.pi
    @inline(__always) func channel(_ f0c: Float, _ diffuse: Float, _ sunC: Float, _ baseC: Float) -> F8 {
        let fresnel = f0c + (1 - f0c) * fw
        let value = baseC + ((1 - fresnel) * (diffuse / Float.pi) + fresnel * specularScale) * (sunC * irradiance)
        return value.replacing(with: baseC, where: .!lit)
    }
    return V8(channel(f0.x, diffuseColor.x, sun.x, base.x), channel(f0.y, diffuseColor.y, sun.y, base.y),
              channel(f0.z, diffuseColor.z, sun.z, base.z))
}
