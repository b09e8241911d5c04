// The floor's procedural albedo (linear RGB) at eight floor points at once, and its value-noise lattice.

/// Linear albedo of `texture` at world points (x, y) on the floor.
@inline(__always)
func floorAlbedo8(_ texture: FloorTexture, _ x: F8, _ y: F8) -> V8 {
    switch texture {
    case .tile:
        // 0.5 m tiles in two tones with 15 mm grout lines.
        let u = x * 2, v = y * 2
        let (fu, iu) = floor8(u), (fv, iv) = floor8(v)
        let gu = u - fu, gv = v - fv
        let grout = gu.replacing(with: gv, where: gv .< gu) .< 0.03
        let odd = F8((iu &+ iv) & 1)
        return V8((0.62 - 0.20 * odd).replacing(with: 0.12, where: grout),
                  (0.58 - 0.18 * odd).replacing(with: 0.12, where: grout),
                  (0.50 - 0.14 * odd).replacing(with: 0.12, where: grout))
    case .wood:
        // 15 cm planks, each its own shade, with a noisy grain and dark seams.
        let v = y / 0.15
        let (row, irow) = floor8(v)
        let shade = 0.75 + 0.5 * hashUnit8(irow, 17)
        let grain = 0.85 + 0.15 * wave8(x * 6 + 0.5 * valueNoise8(x * 2, y * 9))
        let seam = F8(repeating: 1).replacing(with: 0.45, where: (v - row) .< 0.04)
        let k = shade * grain * seam
        return V8(0.40 * k, 0.24 * k, 0.12 * k)
    case .concrete:
        // Two octaves of value noise.
        let n = 0.6 * valueNoise8(x * 3, y * 3) + 0.4 * valueNoise8(x * 17, y * 17)
        let grey = 0.30 + 0.16 * n
        return V8(grey, grey, grey * 0.97)
    case .plain:
        return V8(SIMD3<Float>(repeating: 0.4))
    }
}

/// A hash of two lattice coordinates to [0, 1).
@inline(__always) func hashUnit(_ a: Int32, _ b: Int32) -> Float {
    var h = UInt32(bitPattern: a) &* 0x9E3779B1 ^ UInt32(bitPattern: b) &* 0x85EBCA77
    h ^= h >> 15; h = h &* 0x2C1B3C6D; h ^= h >> 12
    return Float(h >> 8) * (1 / 16_777_216)
}

/// Lattice values of the value noise: 256×256, tiling (a 256-unit period). A raw pointer (allocated once, never
/// freed) so that the pixel loops read it without reference counting.
let noiseLattice: UnsafePointer<Float> = {
    let p = UnsafeMutablePointer<Float>.allocate(capacity: 256 * 256)
    for i in 0..<(256 * 256) { p[i] = hashUnit(Int32(i & 255), Int32(i >> 8)) }
    return UnsafePointer(p)
}()
