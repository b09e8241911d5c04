import Support
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// The images of one frame: 8-bit sRGB (interleaved RGB), z-depth in millimetres (0 = no hit) and instance
/// ids (0 = floor or background), all `width`×`height`, row-major, aligned pixel for pixel.
public struct FrameImages {
    public let width: Int
    public let height: Int
    public let rgb: UnsafeBufferPointer<UInt8>
    public let depth: UnsafeBufferPointer<UInt16>
    public let ids: UnsafeBufferPointer<UInt16>
}

/// Per-frame sensor settings applied after tone mapping.
public struct SensorSettings: Sendable {
    /// Standard deviation of additive Gaussian noise on [0, 1] intensities.
    public var noiseStd: Float
    /// Key of the noise stream (derive it from seed and frame id so noise is reproducible).
    public var noiseKey: UInt64
    public init(noiseStd: Float, noiseKey: UInt64) { self.noiseStd = noiseStd; self.noiseKey = noiseKey }
}

/// Time spent in each stage of the last `render` call, in seconds.
public struct RenderTimings: Sendable {
    /// Visibility (rays against objects' screen rectangles) and shading.
    public var raster: Double = 0
    /// Depth of field, distortion, tone mapping, noise and output conversion.
    public var post: Double = 0
    /// The parts of the above: visibility, shading, blur preparation, distortion map, final pass.
    public var visibility = 0.0, shading = 0.0, blur = 0.0, distortion = 0.0, final = 0.0
}

/// A CPU ray caster for analytic scenes: exact primary visibility (so masks and depth are exact per pixel),
/// Cook–Torrance/GGX shading with a shadowed sun and an ambient sky term, procedural floor textures, a layered
/// thin-lens depth of field, Brown–Conrady distortion (the same nearest-pixel remap for RGB, depth and ids),
/// Reinhard tone mapping, sRGB encoding and Gaussian sensor noise after tone mapping.
/// One `Renderer` per thread: it owns its buffers and allocates nothing per frame.
public final class Renderer {
    public let width: Int
    public let height: Int
    let count: Int
    let zbuf: UnsafeMutablePointer<Float>      // z-depth in m, +inf = nothing
    let index: UnsafeMutablePointer<UInt16>    // object index + 1, 0 = floor/background
    let hdr: UnsafeMutablePointer<Float>       // linear radiance, 3 per pixel
    let half: UnsafeMutablePointer<Float>      // half-resolution copy for depth of field
    let blurA: UnsafeMutablePointer<Float>
    let blurB: UnsafeMutablePointer<Float>
    let scratch: UnsafeMutablePointer<Float>
    let remap: UnsafeMutablePointer<Int32>     // source pixel per output pixel, -1 = outside
    let outRGB: UnsafeMutablePointer<UInt8>
    let outDepth: UnsafeMutablePointer<UInt16>
    let outIds: UnsafeMutablePointer<UInt16>
    let halfW: Int, halfH: Int
    public private(set) var timings = RenderTimings()

    public init(width: Int, height: Int) {
        self.width = width; self.height = height
        count = width * height
        halfW = (width + 1) / 2; halfH = (height + 1) / 2
        zbuf = .allocate(capacity: count)
        index = .allocate(capacity: count)
        hdr = .allocate(capacity: count * 3)
        half = .allocate(capacity: halfW * halfH * 3)
        blurA = .allocate(capacity: halfW * halfH * 3)
        blurB = .allocate(capacity: halfW * halfH * 3)
        scratch = .allocate(capacity: halfW * halfH * 3)
        remap = .allocate(capacity: count)
        outRGB = .allocate(capacity: count * 3)
        outDepth = .allocate(capacity: count)
        outIds = .allocate(capacity: count)
    }

    deinit {
        for p in [zbuf, hdr, half, blurA, blurB, scratch] { p.deallocate() }
        index.deallocate(); remap.deallocate(); outRGB.deallocate(); outDepth.deallocate(); outIds.deallocate()
    }

    /// Renders `scene` through `camera`. The returned buffers stay valid until the next call.
    public func render(_ scene: Scene, camera: Camera, sensor: SensorSettings) -> FrameImages {
        let t0 = monotonicSeconds()
        let view = View(camera: camera, width: width, height: height)
        let objects = scene.objects.map { Prepared($0, cameraPosition: camera.position) }
        rasterize(objects, view: view)
        let tv = monotonicSeconds()
        let nearest = shade(scene, objects, view: view)
        let t1 = monotonicSeconds()
        let lens = depthOfField(camera: camera, nearest: nearest)
        let tb = monotonicSeconds()
        computeRemap(camera: camera, view: view)
        let tr = monotonicSeconds()
        finish(objects: objects, sensor: sensor, lens: lens)
        let t2 = monotonicSeconds()
        timings = RenderTimings(raster: t1 - t0, post: t2 - t1, visibility: tv - t0, shading: t1 - tv,
                                blur: tb - t1, distortion: tr - tb, final: t2 - tr)
        return FrameImages(width: width, height: height,
                           rgb: UnsafeBufferPointer(start: outRGB, count: count * 3),
                           depth: UnsafeBufferPointer(start: outDepth, count: count),
                           ids: UnsafeBufferPointer(start: outIds, count: count))
    }

    // MARK: - visibility

    func rasterize(_ objects: [Prepared], view: View) {
        zbuf.update(repeating: .infinity, count: count)
        index.update(repeating: 0, count: count)
        for (k, o) in objects.enumerated() {
            guard let rect = view.screenRect(center: o.position, radius: o.bound) else { continue }
            let tag = UInt16(k + 1)
            for py in rect.y0...rect.y1 {
                var p = py * width + rect.x0
                for px in rect.x0...rect.x1 {
                    let d = view.direction(px, py)
                    let t = intersect(o.kind, o.a, o.b, o.c, o.cameraLocal, o.toLocal(d), tMin: 1e-4)
                    if t < zbuf[p] { zbuf[p] = t; index[p] = tag }
                    p += 1
                }
            }
        }
    }

    // MARK: - shading

    /// Shades every pixel into `hdr`, finalizes `zbuf` (0 = no hit) and `index`; returns the nearest z-depth.
    @discardableResult
    func shade(_ scene: Scene, _ objects: [Prepared], view: View) -> Float {
        var nearest = Float.infinity
        let L = scene.sun.direction
        let sunE = scene.sun.color * scene.sun.intensity
        let bgLinear = SIMD3<Float>(srgbToLinear(scene.background.x), srgbToLinear(scene.background.y),
                                    srgbToLinear(scene.background.z))
        let ambient = SIMD3<Float>(repeating: 0.05) + 0.25 * bgLinear
        let bgClamped = pointwiseMin(bgLinear, SIMD3(repeating: 0.995))
        let bgHDR = bgClamped / (SIMD3(repeating: 1) - bgClamped)
        let floorMaterial = Material(albedo: .zero, roughness: 0.75, metallic: 0)
        // Shadow footprints of each object's bounding sphere on the floor plane (conservative circles).
        let footprints: [SIMD3<Float>] = objects.map { o in
            let s = o.position - (o.position.z / L.z) * L
            let r = o.bound / L.z
            return SIMD3(s.x, s.y, r * r)
        }
        // Their screen rectangles, so a floor pixel tests only the footprints that can cover it.
        let printRects: [(x0: Int, y0: Int, x1: Int, y1: Int)] = footprints.map { f in
            let r = f.z.squareRoot()
            return view.screenRect(center: SIMD3(f.x, f.y, 0), radius: r, flat: true) ?? (1, 1, 0, 0)
        }
        var active = [Int](repeating: 0, count: objects.count)

        let cam = view.origin
        let half = scene.floorHalfSize
        let floorTexture = scene.floor
        // The floor is flat with one material, so its sun response (a multiplier on albedo and an additive
        // specular term) depends only on the view direction: evaluate it exactly on an 8-px grid and
        // interpolate bilinearly in between.
        let step = 8
        let gw = width / step + 2, gh = height / step + 2
        var gridA = [SIMD3<Float>](repeating: .zero, count: gw * gh)
        var gridB = [SIMD3<Float>](repeating: .zero, count: gw * gh)
        let up = SIMD3<Float>(0, 0, 1)
        for gy in 0..<gh {
            for gx in 0..<gw {
                let v = -normalize(view.direction(gx * step, gy * step))
                var white = floorMaterial
                white.albedo = SIMD3(repeating: 1)
                var black = floorMaterial
                black.albedo = .zero
                let b = shadeGGX(n: up, v: v, l: L, m: black, sun: sunE, ambient: .zero)
                let a = shadeGGX(n: up, v: v, l: L, m: white, sun: sunE, ambient: .zero) - b
                gridA[gy * gw + gx] = a
                gridB[gy * gw + gx] = b
            }
        }
        let ambientSpecular = ambient * 0.02
        var rowAStore = [SIMD3<Float>](repeating: .zero, count: 2 * gw)
        var rowBStore = [SIMD3<Float>](repeating: .zero, count: 2 * gw)
        let invStep = 1 / Float(step)
        gridA.withUnsafeBufferPointer { gridA in
        gridB.withUnsafeBufferPointer { gridB in
        objects.withUnsafeBufferPointer { objs in
        footprints.withUnsafeBufferPointer { prints in
        let rectStore = printRects.flatMap { [$0.x0, $0.y0, $0.x1, $0.y1] }
        active.withUnsafeMutableBufferPointer { active in
        rectStore.withUnsafeBufferPointer { rects in
        rowAStore.withUnsafeMutableBufferPointer { rowA in
        rowBStore.withUnsafeMutableBufferPointer { rowB in
            for py in 0..<height {
                var p = py * width
                // This row's floor response at each grid column (interpolated between grid rows), with the
                // step to the next column, so a pixel needs one multiply-add per term.
                let gy = py >> 3, wy = Float(py & 7) * invStep
                for gx in 0..<gw {
                    let i = gy * gw + gx
                    rowA[2 * gx] = gridA[i] + (gridA[i + gw] - gridA[i]) * wy
                    rowB[2 * gx] = gridB[i] + (gridB[i + gw] - gridB[i]) * wy
                }
                for gx in 0..<(gw - 1) {
                    rowA[2 * gx + 1] = rowA[2 * gx + 2] - rowA[2 * gx]
                    rowB[2 * gx + 1] = rowB[2 * gx + 2] - rowB[2 * gx]
                }
                var activeCount = 0
                for j in 0..<printRects.count where rects[4 * j + 1] <= py && py <= rects[4 * j + 3] {
                    active[activeCount] = j; activeCount += 1
                }
                var d = view.direction(0, py)
                for px in 0..<width {
                    defer { d += view.stepRight }
                    var tFloor = Float.infinity
                    var floorX: Float = 0, floorY: Float = 0
                    if d.z < -1e-7 {
                        let t = -cam.z / d.z
                        floorX = cam.x + t * d.x; floorY = cam.y + t * d.y
                        if abs(floorX) <= half && abs(floorY) <= half { tFloor = t }
                    }
                    let k = Int(index[p])
                    var color: SIMD3<Float>
                    if k > 0 && zbuf[p] <= tFloor {
                        let o = objs[k - 1]
                        let t = zbuf[p]
                        let hit = cam + t * d
                        let nLocal = localNormal(o.kind, o.a, o.b, o.c, o.toLocal(hit - o.position))
                        let n = o.toWorld(nLocal)
                        let lit = occluded(hit + n * 1e-3, L, objs, skip: k - 1) ? Float(0) : 1
                        color = shadeGGX(n: n, v: -normalize(d), l: L, m: o.material, sun: sunE * lit, ambient: ambient)
                    } else if tFloor < .infinity {
                        zbuf[p] = tFloor
                        index[p] = 0
                        var lit: Float = 1
                        for a in 0..<activeCount {
                            let j = active[a]
                            if px < rects[4 * j] || px > rects[4 * j + 2] { continue }
                            let f = prints[j]
                            let dx = floorX - f.x, dy = floorY - f.y
                            if dx * dx + dy * dy < f.z, objs[j].blocks(SIMD3(floorX, floorY, 0), L) { lit = 0; break }
                        }
                        let albedo = floorAlbedo(floorTexture, floorX, floorY)
                        let gx = px >> 3
                        let wx = Float(px & 7) * invStep
                        let a = rowA[2 * gx] + rowA[2 * gx + 1] * wx
                        let b = rowB[2 * gx] + rowB[2 * gx + 1] * wx
                        color = albedo * (a * lit + ambient) + b * lit + ambientSpecular
                    } else {
                        zbuf[p] = 0
                        index[p] = 0
                        color = bgHDR
                    }
                    hdr[3 * p] = color.x; hdr[3 * p + 1] = color.y; hdr[3 * p + 2] = color.z
                    if zbuf[p] > 0 && zbuf[p] < nearest { nearest = zbuf[p] }
                    p += 1
                }
            }
        }
        }
        }
        }
        }
        }
        }
        }
        return nearest
    }

    @inline(__always)
    func occluded(_ point: SIMD3<Float>, _ L: SIMD3<Float>, _ objs: UnsafeBufferPointer<Prepared>, skip: Int) -> Bool {
        for j in 0..<objs.count where j != skip {
            if objs[j].blocks(point, L) { return true }
        }
        return false
    }

    // MARK: - depth of field

    /// A circle of confusion below a quarter pixel (radius) counts as in focus.
    static let inFocusRadius: Float = 0.25

    /// Thin-lens circle of confusion: radius in pixels r(z) = k·|z − s| / z (k at infinite distance).
    struct Lens {
        var active: Bool
        var k: Float
        var focus: Float
        @inline(__always) func radius(_ z: Float) -> Float { z > 0 ? k * abs(z - focus) / z : k }
    }

    /// Layered thin-lens depth of field, part 1: when any pixel's circle of confusion reaches `inFocusRadius`, prepares
    /// two blurred copies (radius 2 and 6 px, box-filtered at half resolution); `finish` blends each pixel
    /// between the sharp image and those by its circle of confusion.
    func depthOfField(camera: Camera, nearest: Float) -> Lens {
        let f = camera.focalLengthMM / 1000
        let s = max(camera.focusDistance, f * 1.01)
        let apertureDiameter = f / camera.fNumber
        let pitch = camera.sensorWidthMM / 1000 / Float(width)
        let k = apertureDiameter * f / (s - f) / pitch / 2
        var lens = Lens(active: false, k: k, focus: s)
        // r(z) is largest at the nearest surface or at infinity (k).
        let maxRadius = max(k, nearest < .infinity ? lens.radius(nearest) : 0)
        if maxRadius < Renderer.inFocusRadius { return lens }
        lens.active = true
        // Downsample 2×.
        for y in 0..<halfH {
            for x in 0..<halfW {
                let x0 = min(2 * x, width - 1), x1 = min(2 * x + 1, width - 1)
                let y0 = min(2 * y, height - 1), y1 = min(2 * y + 1, height - 1)
                for c in 0..<3 {
                    half[3 * (y * halfW + x) + c] = 0.25 * (hdr[3 * (y0 * width + x0) + c] + hdr[3 * (y0 * width + x1) + c]
                        + hdr[3 * (y1 * width + x0) + c] + hdr[3 * (y1 * width + x1) + c])
                }
            }
        }
        boxBlur(from: half, to: blurA, radius: 1)
        boxBlur(from: half, to: blurB, radius: 3)
        return lens
    }

    /// The depth-of-field colour of source pixel (x, y) with circle-of-confusion radius r ≥ `inFocusRadius`.
    @inline(__always)
    func defocused(_ sharp: SIMD4<Float>, x: Int, y: Int, r: Float) -> SIMD4<Float> {
        let fy = (Float(y) + 0.5) * 0.5 - 0.5, fx = (Float(x) + 0.5) * 0.5 - 0.5
        let y0 = max(0, min(halfH - 1, Int(floorFast(fy)))), y1 = min(halfH - 1, y0 + 1)
        let x0 = max(0, min(halfW - 1, Int(floorFast(fx)))), x1 = min(halfW - 1, x0 + 1)
        let wy = max(0, min(1, fy - Float(y0))), wx = max(0, min(1, fx - Float(x0)))
        let i00 = 3 * (y0 * halfW + x0), i01 = 3 * (y0 * halfW + x1)
        let i10 = 3 * (y1 * halfW + x0), i11 = 3 * (y1 * halfW + x1)
        let w00 = (1 - wx) * (1 - wy), w01 = wx * (1 - wy), w10 = (1 - wx) * wy, w11 = wx * wy
        let idx = SIMD4<Int32>(Int32(i00), Int32(i01), Int32(i10), Int32(i11))
        let w = SIMD4<Float>(w00, w01, w10, w11)
        let a = Renderer.sample(blurA, idx, w)
        if r <= 2 { return sharp + (a - sharp) * (r * 0.5) }
        let b = Renderer.sample(blurB, idx, w)
        if r <= 6 { return a + (b - a) * ((r - 2) * 0.25) }
        return b
    }

    @inline(__always)
    static func sample(_ b: UnsafeMutablePointer<Float>, _ i: SIMD4<Int32>, _ w: SIMD4<Float>) -> SIMD4<Float> {
        var v = SIMD4<Float>(b[Int(i.x)], b[Int(i.x) + 1], b[Int(i.x) + 2], 0) * w.x
        v += SIMD4<Float>(b[Int(i.y)], b[Int(i.y) + 1], b[Int(i.y) + 2], 0) * w.y
        v += SIMD4<Float>(b[Int(i.z)], b[Int(i.z) + 1], b[Int(i.z) + 2], 0) * w.z
        v += SIMD4<Float>(b[Int(i.w)], b[Int(i.w) + 1], b[Int(i.w) + 2], 0) * w.w
        return v
    }

    /// Separable box blur of a half-resolution RGB image with clamped edges (running sums).
    func boxBlur(from src: UnsafeMutablePointer<Float>, to dst: UnsafeMutablePointer<Float>, radius: Int) {
        let w = halfW, h = halfH
        let norm = 1 / Float(2 * radius + 1)
        for y in 0..<h {
            let row = y * w
            for c in 0..<3 {
                var sum: Float = 0
                for i in -radius...radius { sum += src[3 * (row + min(max(i, 0), w - 1)) + c] }
                for x in 0..<w {
                    scratch[3 * (row + x) + c] = sum * norm
                    let add = min(x + radius + 1, w - 1), sub = max(x - radius, 0)
                    sum += src[3 * (row + add) + c] - src[3 * (row + sub) + c]
                }
            }
        }
        for x in 0..<w {
            for c in 0..<3 {
                var sum: Float = 0
                for i in -radius...radius { sum += scratch[3 * (min(max(i, 0), h - 1) * w + x) + c] }
                for y in 0..<h {
                    dst[3 * (y * w + x) + c] = sum * norm
                    let add = min(y + radius + 1, h - 1), sub = max(y - radius, 0)
                    sum += scratch[3 * (add * w + x) + c] - scratch[3 * (sub * w + x) + c]
                }
            }
        }
    }

    // MARK: - distortion

    /// Builds the source pixel of every output pixel under Brown–Conrady distortion: the output (distorted) pixel
    /// shows the ideal image at the undistorted point, found by fixed-point inversion on a 16-px grid and
    /// interpolated in between. All-zero coefficients give the exact identity.
    func computeRemap(camera: Camera, view: View) {
        if camera.k1 == 0 && camera.k2 == 0 && camera.p1 == 0 && camera.p2 == 0 {
            for p in 0..<count { remap[p] = Int32(p) }
            return
        }
        let step = 16
        let gw = (width + step - 1) / step + 1, gh = (height + step - 1) / step + 1
        var grid = [SIMD2<Float>](repeating: .zero, count: gw * gh)
        for gy in 0..<gh {
            for gx in 0..<gw {
                let xd = (Float(gx * step) + 0.5 - view.cx) / view.fpx
                let yd = (Float(gy * step) + 0.5 - view.cy) / view.fpx
                var x = xd, y = yd
                func distort(_ x: Float, _ y: Float) -> SIMD2<Float> {
                    let r2 = x * x + y * y
                    let radial = 1 + camera.k1 * r2 + camera.k2 * r2 * r2
                    return SIMD2(x * radial + 2 * camera.p1 * x * y + camera.p2 * (r2 + 2 * x * x),
                                 y * radial + camera.p1 * (r2 + 2 * y * y) + 2 * camera.p2 * x * y)
                }
                for _ in 0..<30 {
                    let r2 = x * x + y * y
                    let radial = 1 + camera.k1 * r2 + camera.k2 * r2 * r2
                    let dx = 2 * camera.p1 * x * y + camera.p2 * (r2 + 2 * x * x)
                    let dy = camera.p1 * (r2 + 2 * y * y) + 2 * camera.p2 * x * y
                    x = (xd - dx) / radial
                    y = (yd - dy) / radial
                }
                // Where the lens model folds over (no inverse), the pixel sees nothing the camera rendered.
                let residual = distort(x, y) - SIMD2(xd, yd)
                let converged = abs(residual.x) + abs(residual.y) < 0.5 / view.fpx
                grid[gy * gw + gx] = converged ? SIMD2(x * view.fpx + view.cx - 0.5, y * view.fpx + view.cy - 0.5)
                                               : SIMD2(-1e6, -1e6)
            }
        }
        let invStep = 1 / Float(step)
        grid.withUnsafeBufferPointer { g in
            for py in 0..<height {
                let gy = py / step, wy = Float(py - gy * step) * invStep
                for gx in 0..<(gw - 1) {
                    let a = g[gy * gw + gx], b = g[gy * gw + gx + 1], c = g[(gy + 1) * gw + gx], d = g[(gy + 1) * gw + gx + 1]
                    let left = a + (c - a) * wy, right = b + (d - b) * wy
                    let delta = (right - left) * invStep
                    var s = left + 0.5  // + 0.5: truncation below rounds to nearest for coordinates > -0.5
                    let x0 = gx * step, x1 = min(x0 + step, width)
                    if x0 >= width { break }
                    for px in x0..<x1 {
                        let sx = Int(s.x < 0 ? -1 : s.x), sy = Int(s.y < 0 ? -1 : s.y)
                        remap[py * width + px] = (sx >= 0 && sx < width && sy >= 0 && sy < height && !s.x.isNaN) ? Int32(sy * width + sx) : -1
                        s += delta
                    }
                }
            }
        }
    }

    // MARK: - tone mapping, noise, outputs

    func finish(objects: [Prepared], sensor: SensorSettings, lens: Lens) {
        let ids: [UInt16] = [0] + objects.map(\.id)
        let noiseScale = sensor.noiseStd * 255
        let invWidth = 1 / Float(width)
        ids.withUnsafeBufferPointer { ids in
        ToneCurve.table.withUnsafeBufferPointer { lut in
        gaussianTable.withUnsafeBufferPointer { gauss in
            for py in 0..<height {
                var rng = CounterRNG(key: CounterRNG.key([sensor.noiseKey, UInt64(py)]))
                for px in 0..<width {
                    let p = py * width + px
                    let s = Int(remap[p])
                    var r: Float = 0, g: Float = 0, b: Float = 0
                    if s >= 0 {
                        let z = zbuf[s]
                        outDepth[p] = z > 0 ? UInt16(min(max(z * 1000 + 0.5, 1), 65535)) : 0
                        outIds[p] = ids[Int(index[s])]
                        var c = SIMD4<Float>(hdr[3 * s], hdr[3 * s + 1], hdr[3 * s + 2], 0)
                        if lens.active {
                            let radius = lens.radius(z)
                            if radius >= Renderer.inFocusRadius {
                                let sy = s == p ? py : Int((Float(s) + 0.5) * invWidth)
                                c = defocused(c, x: s - sy * width, y: sy, r: radius)
                            }
                        }
                        r = lut[ToneCurve.index(c.x)]
                        g = lut[ToneCurve.index(c.y)]
                        b = lut[ToneCurve.index(c.z)]
                    } else {
                        outDepth[p] = 0
                        outIds[p] = 0
                    }
                    if noiseScale > 0 {
                        let bits = rng.next()
                        r += gauss[Int(bits & 4095)] * noiseScale
                        g += gauss[Int((bits >> 12) & 4095)] * noiseScale
                        b += gauss[Int((bits >> 24) & 4095)] * noiseScale
                    }
                    outRGB[3 * p] = UInt8(min(max(r + 0.5, 0), 255.4))
                    outRGB[3 * p + 1] = UInt8(min(max(g + 0.5, 0), 255.4))
                    outRGB[3 * p + 2] = UInt8(min(max(b + 0.5, 0), 255.4))
                }
            }
        }
        }
        }
    }
}

/// Tone curve: sRGB-encoded Reinhard x / (1 + x), ×255, indexed by a float's exponent and top 10 mantissa bits
/// (a piecewise-linear log scale: relative steps of 2^-10, well under a quarter of an 8-bit level), for
/// radiance x in [2^-14, 2^8); smaller values read entry 0, larger the last.
enum ToneCurve {
    static let base = UInt32(127 - 14) << 10
    static let count = Int((UInt32(127 + 8) << 10) - base)
    static let table: [Float] = (0..<count).map { i in
        let x = Float(bitPattern: (UInt32(i) + base) << 13 | 0x1000)
        return linearToSRGB(x / (1 + x)) * 255
    }
    @inline(__always) static func index(_ x: Float) -> Int {
        let i = Int(x.bitPattern >> 13) - Int(base)
        return min(max(i, 0), count - 1)
    }
}

/// 4096 equiprobable quantiles of the standard normal (midpoints), indexed by 12 random bits.
let gaussianTable: [Float] = (0..<4096).map { i in Float(inverseNormalCDF((Double(i) + 0.5) / 4096)) }

func srgbToLinear(_ c: Float) -> Float { c <= 0.04045 ? c / 12.92 : powf((c + 0.055) / 1.055, 2.4) }
func linearToSRGB(_ c: Float) -> Float { c <= 0.0031308 ? 12.92 * c : 1.055 * powf(c, 1 / 2.4) - 0.055 }

/// Acklam's rational approximation of the standard normal quantile (relative error < 1.2e-9).
func inverseNormalCDF(_ p: Double) -> Double {
    let a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02,
             -3.066479806614716e+01, 2.506628277459239e+00]
    let b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01,
             -1.328068155288572e+01]
    let c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00,
             4.374664141464968e+00, 2.938163982698783e+00]
    let d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00]
    let lo = 0.02425, hi = 1 - lo
    if p < lo {
        let q = (-2 * log(p)).squareRoot()
        return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
    }
    if p > hi {
        let q = (-2 * log(1 - p)).squareRoot()
        return -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
    }
    let q = p - 0.5, r = q * q
    return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
}

/// Monotonic clock in seconds.
public func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}
