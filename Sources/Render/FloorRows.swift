// The floor's procedural albedo for a whole image row at once, eight pixels per step.

/// Linear albedo of the floor at world points (x[i], y[i]), i < n, into planes r, g, b, for the 8-pixel groups
/// where some pixel shows the floor (`visible[i]` is 1); the others are left as they were. The buffers hold at
/// least `n` rounded up to a multiple of 8.
func floorAlbedoRow(_ texture: FloorTexture, x: UnsafePointer<Float>, y: UnsafePointer<Float>,
                    visible: UnsafePointer<Float>, n: Int,
                    r: UnsafeMutablePointer<Float>, g: UnsafeMutablePointer<Float>, b: UnsafeMutablePointer<Float>) {
    @inline(__always) func shown(_ i: Int) -> Bool {
        bits8(UnsafeRawPointer(visible + i).loadUnaligned(as: F8.self) .> 0) != 0
    }
    @inline(__always) func put(_ i: Int, _ vr: F8, _ vg: F8, _ vb: F8) {
        UnsafeMutableRawPointer(r + i).storeBytes(of: vr, as: F8.self)
        UnsafeMutableRawPointer(g + i).storeBytes(of: vg, as: F8.self)
        UnsafeMutableRawPointer(b + i).storeBytes(of: vb, as: F8.self)
    }
    switch texture {
    case .tile:
        // 0.5 m tiles in two tones with 15 mm grout lines.
        for i in stride(from: 0, to: n, by: 8) where shown(i) {
            let u = load8(x, i, n + 8) * 2, v = load8(y, i, n + 8) * 2
            let (fu, iu) = floor8(u), (fv, iv) = floor8(v)
            let gu = u - fu, gv = v - fv
            let grout = gu.replacing(with: gv, where: gv .< gu) .< 0.03
            let odd = F8((iu &+ iv) & 1)
            let vr = (0.62 - 0.20 * odd).replacing(with: 0.12, where: grout)
            let vg = (0.58 - 0.18 * odd).replacing(with: 0.12, where: grout)
            let vb = (0.50 - 0.14 * odd).replacing(with: 0.12, where: grout)
            put(i, vr, vg, vb)
        }
    case .wood:
        // 15 cm planks, each its own shade, with a noisy grain and dark seams.
        let plank: Float = 0.15
        for i in stride(from: 0, to: n, by: 8) where shown(i) {
            let px = load8(x, i, n + 8), py = load8(y, i, n + 8)
            let v = py / plank
            let (row, irow) = floor8(v)
            let shade = 0.75 + 0.5 * hashUnit8(irow, 17)
            let grain = 0.85 + 0.15 * wave8(px * 6 + 0.5 * valueNoise8(px * 2, py * 9))
            let seam = F8(repeating: 1).replacing(with: 0.45, where: (v - row) .< 0.04)
            let k = shade * grain * seam
            put(i, 0.40 * k, 0.24 * k, 0.12 * k)
        }
    case .concrete:
        // Two octaves of value noise.
        for i in stride(from: 0, to: n, by: 8) where shown(i) {
            let px = load8(x, i, n + 8), py = load8(y, i, n + 8)
            let v = 0.6 * valueNoise8(px * 3, py * 3) + 0.4 * valueNoise8(px * 17, py * 17)
            let grey = 0.30 + 0.16 * v
            put(i, grey, grey, grey * 0.97)
        }
    case .plain:
        for i in 0..<n { r[i] = 0.4; g[i] = 0.4; b[i] = 0.4 }
    }
}
