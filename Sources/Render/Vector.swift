// Eight-lane float and integer vectors for the row loops of the renderer (two SSE registers on x86-64), with the
// few operations the standard library's SIMD types lack or make slow (floor, gathers).

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
    let a = gather8(n, yi &<< 8 | xi), b = gather8(n, yi &<< 8 | xj)
    let c = gather8(n, yj &<< 8 | xi), d = gather8(n, yj &<< 8 | xj)
    return (a + (b - a) * tx) * (1 - ty) + (c + (d - c) * tx) * ty
}
