// Eight-lane float and integer vectors for the row loops of the renderer (two SSE registers on x86-64), with the
// few operations the standard library's SIMD types lack or make slow (floor, gathers).

#if arch(x86_64)
import _Builtin_intrinsics.intel
#endif

typealias F8 = SIMD8<Float>
typealias I8 = SIMD8<Int32>

/// Lane offsets 0...7.
let lanes8 = F8(0, 1, 2, 3, 4, 5, 6, 7)

/// Loads 8 floats at p[i]; past `n` the lanes are 0.
@inline(__always) func load8(_ p: UnsafePointer<Float>, _ i: Int, _ n: Int) -> F8 {
    if i + 8 <= n { return UnsafeRawPointer(p + i).loadUnaligned(as: F8.self) }
    var v = F8(repeating: 0)
    for k in 0..<(n - i) { v[k] = p[i + k] }
    return v
}

/// Loads 8 object tags (UInt16) at p[i]; past `n` the lanes are 0.
@inline(__always) func loadTags8(_ p: UnsafePointer<UInt16>, _ i: Int, _ n: Int) -> SIMD8<UInt16> {
    if i + 8 <= n { return UnsafeRawPointer(p + i).loadUnaligned(as: SIMD8<UInt16>.self) }
    var v = SIMD8<UInt16>(repeating: 0)
    for k in 0..<(n - i) { v[k] = p[i + k] }
    return v
}

/// Stores the lanes of `v` that fall before `n` at p[i].
@inline(__always) func store8(_ v: F8, _ p: UnsafeMutablePointer<Float>, _ i: Int, _ n: Int) {
    if i + 8 <= n { UnsafeMutableRawPointer(p + i).storeBytes(of: v, as: F8.self); return }
    for k in 0..<(n - i) { p[i + k] = v[k] }
}

/// floor(x) as float and as integer, for |x| < 2²²: rounds to nearest by adding 1.5·2²³, then steps down where
/// that rounded up.
@inline(__always) func floor8(_ x: F8) -> (F8, I8) {
    let magic = F8(repeating: 12_582_912)
    let r = x + magic
    var i = unsafeBitCast(r, to: I8.self) &- 0x4B40_0000
    var f = r - magic
    let over = f .> x
    f = f.replacing(with: f - 1, where: over)
    i = i.replacing(with: i &- 1, where: over)
    return (f, i)
}

/// floor() without a libc call (inputs well inside Int range).
@inline(__always) func floorFast(_ x: Float) -> Float {
    let i = Float(Int(x))
    return i > x ? i - 1 : i
}

/// table[index[k]] for each lane.
@inline(__always) func gather8(_ table: UnsafePointer<Float>, _ index: I8) -> F8 {
    F8(table[Int(index[0])], table[Int(index[1])], table[Int(index[2])], table[Int(index[3])],
       table[Int(index[4])], table[Int(index[5])], table[Int(index[6])], table[Int(index[7])])
}

/// `hashUnit` on eight lattice rows.
@inline(__always) func hashUnit8(_ a: I8, _ b: Int32) -> F8 {
    var h = unsafeBitCast(a, to: SIMD8<UInt32>.self) &* 0x9E37_79B1 ^ (UInt32(bitPattern: b) &* 0x85EB_CA77)
    h ^= h &>> 15; h = h &* 0x2C1B_3C6D; h ^= h &>> 12
    return F8(unsafeBitCast(h &>> 8, to: I8.self)) * (1 / 16_777_216)
}

/// `wave` on eight lanes.
@inline(__always) func wave8(_ x: F8) -> F8 {
    let f = x - floor8(x).0
    let t = (4 * f - 1).replacing(with: 3 - 4 * f, where: f .>= 0.5)
    return t * (1.5 - 0.5 * t * t)
}

/// `valueNoise` on eight lanes.
@inline(__always) func valueNoise8(_ x: F8, _ y: F8) -> F8 {
    let (xf, xi0) = floor8(x), (yf, yi0) = floor8(y)
    let xi = xi0 & 255, yi = yi0 & 255
    let xj = (xi &+ 1) & 255, yj = (yi &+ 1) & 255
    var tx = x - xf, ty = y - yf
    tx = tx * tx * (3 - 2 * tx); ty = ty * ty * (3 - 2 * ty)
    let n = noiseLattice
    let a: F8, b: F8, c: F8, d: F8
    if bits8((xf .== F8(repeating: xf[0])) .& (yf .== F8(repeating: yf[0]))) == 0xFF {
        // All eight points in one lattice cell (the common case at these frequencies): four loads.
        let i0 = Int(yi[0]) << 8, i1 = Int(yj[0]) << 8, j0 = Int(xi[0]), j1 = Int(xj[0])
        a = F8(repeating: n[i0 | j0]); b = F8(repeating: n[i0 | j1])
        c = F8(repeating: n[i1 | j0]); d = F8(repeating: n[i1 | j1])
    } else {
        a = gather8(n, yi &<< 8 | xi); b = gather8(n, yi &<< 8 | xj)
        c = gather8(n, yj &<< 8 | xi); d = gather8(n, yj &<< 8 | xj)
    }
    return (a + (b - a) * tx) * (1 - ty) + (c + (d - c) * tx) * ty
}

/// Lane-wise minimum and maximum (either operand when equal).
@inline(__always) func min8(_ a: F8, _ b: F8) -> F8 {
#if arch(x86_64)
    F8(lowHalf: _mm_min_ps(a.lowHalf, b.lowHalf), highHalf: _mm_min_ps(a.highHalf, b.highHalf))
#else
    a.replacing(with: b, where: b .< a)
#endif
}

@inline(__always) func max8(_ a: F8, _ b: F8) -> F8 {
#if arch(x86_64)
    F8(lowHalf: _mm_max_ps(a.lowHalf, b.lowHalf), highHalf: _mm_max_ps(a.highHalf, b.highHalf))
#else
    a.replacing(with: b, where: b .> a)
#endif
}

/// Lane-wise square root (of non-negative values).
@inline(__always) func sqrt8(_ x: F8) -> F8 {
#if arch(x86_64)
    F8(lowHalf: _mm_sqrt_ps(x.lowHalf), highHalf: _mm_sqrt_ps(x.highHalf))
#else
    x.squareRoot()
#endif
}

@inline(__always) func abs8(_ x: F8) -> F8 { x.replacing(with: -x, where: x .< 0) }

/// The lanes of a mask as bits (lane k → bit k).
@inline(__always) func bits8(_ m: SIMDMask<I8>) -> Int {
#if arch(x86_64)
    let v = unsafeBitCast(m, to: F8.self)
    return Int(_mm_movemask_ps(v.lowHalf) | _mm_movemask_ps(v.highHalf) << 4)
#else
    var b = 0
    for k in 0..<8 where m[k] { b |= 1 << k }
    return b
#endif
}

/// Smallest and largest lane.
@inline(__always) func minLane(_ x: F8) -> Float {
    let m = min8(x, F8(lowHalf: x.highHalf, highHalf: x.lowHalf)).lowHalf
    return Swift.min(Swift.min(m[0], m[1]), Swift.min(m[2], m[3]))
}

@inline(__always) func maxLane(_ x: F8) -> Float {
    let m = max8(x, F8(lowHalf: x.highHalf, highHalf: x.lowHalf)).lowHalf
    return Swift.max(Swift.max(m[0], m[1]), Swift.max(m[2], m[3]))
}

/// Eight 3-vectors, one per lane.
struct V8 {
    var x: F8, y: F8, z: F8
    @inline(__always) init(_ x: F8, _ y: F8, _ z: F8) { self.x = x; self.y = y; self.z = z }
    @inline(__always) init(_ v: SIMD3<Float>) { x = F8(repeating: v.x); y = F8(repeating: v.y); z = F8(repeating: v.z) }
    /// base + step·t per lane.
    @inline(__always) init(_ base: SIMD3<Float>, _ step: SIMD3<Float>, _ t: F8) {
        x = base.x + step.x * t; y = base.y + step.y * t; z = base.z + step.z * t
    }
    @inline(__always) static func + (a: V8, b: V8) -> V8 { V8(a.x + b.x, a.y + b.y, a.z + b.z) }
    @inline(__always) static func - (a: V8, b: V8) -> V8 { V8(a.x - b.x, a.y - b.y, a.z - b.z) }
    @inline(__always) static func + (a: V8, b: SIMD3<Float>) -> V8 { V8(a.x + b.x, a.y + b.y, a.z + b.z) }
    @inline(__always) static func - (a: V8, b: SIMD3<Float>) -> V8 { V8(a.x - b.x, a.y - b.y, a.z - b.z) }
    @inline(__always) static func * (a: V8, s: F8) -> V8 { V8(a.x * s, a.y * s, a.z * s) }
    @inline(__always) static func * (a: V8, s: Float) -> V8 { V8(a.x * s, a.y * s, a.z * s) }
    @inline(__always) static prefix func - (a: V8) -> V8 { V8(-a.x, -a.y, -a.z) }
    @inline(__always) func dot(_ v: SIMD3<Float>) -> F8 { x * v.x + y * v.y + z * v.z }
    @inline(__always) func dot(_ v: V8) -> F8 { x * v.x + y * v.y + z * v.z }
    @inline(__always) var normalized: V8 { self * (1 / sqrt8(dot(self))) }
}

/// Lane-wise conversion toward zero (|x| < 2³¹).
@inline(__always) func trunc8(_ x: F8) -> I8 {
#if arch(x86_64)
    let lo = unsafeBitCast(_mm_cvttps_epi32(x.lowHalf), to: SIMD4<Int32>.self)
    let hi = unsafeBitCast(_mm_cvttps_epi32(x.highHalf), to: SIMD4<Int32>.self)
    return I8(lowHalf: lo, highHalf: hi)
#else
    var r = I8(repeating: 0)
    for k in 0..<8 { r[k] = Int32(x[k]) }
    return r
#endif
}
