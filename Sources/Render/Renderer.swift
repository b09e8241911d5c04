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
    let hdr: UnsafeMutablePointer<Float>       // linear radiance, three planes (R, G, B) of `count`
    let half: UnsafeMutablePointer<Float>      // half-resolution copy of one channel for depth of field
    let blurA: UnsafeMutablePointer<Float>     // `half` box-blurred, radius 1 and 3 (half-resolution pixels)
    let blurB: UnsafeMutablePointer<Float>
    let scratch: UnsafeMutablePointer<Float>   // one half-resolution plane
    let rows: UnsafeMutablePointer<Float>      // per-row work space of the depth-of-field blend
    let wideA: UnsafeMutablePointer<Float>     // blurA and blurB upsampled horizontally: 3 planes of halfH × width
    let wideB: UnsafeMutablePointer<Float>
    let noise: UnsafeMutablePointer<Float>     // the Gaussian quantile table scaled to this frame's noise
    let shadeRows: UnsafeMutablePointer<Float> // per-row work space of shading
    let packLo: UnsafeMutablePointer<UInt32>   // per source pixel: tone-curve indices of R | G << 16
    let packHi: UnsafeMutablePointer<UInt32>   // per source pixel: tone-curve index of B | instance id << 16
    let depthMM: UnsafeMutablePointer<UInt16>  // per source pixel: z-depth in mm, 0 = no hit
    let finishIndices: UnsafeMutablePointer<UInt32>  // per-row work space of the final pass
    let remap: UnsafeMutablePointer<Int32>     // source pixel per output pixel, -1 = outside
    let outRGB: UnsafeMutablePointer<UInt8>
    let outDepth: UnsafeMutablePointer<UInt16>
    let outIds: UnsafeMutablePointer<UInt16>
    let halfW: Int, halfH: Int, halfCount: Int
    public private(set) var timings = RenderTimings()

    public init(width: Int, height: Int) {
        self.width = width; self.height = height
        count = width * height
        halfW = (width + 1) / 2; halfH = (height + 1) / 2; halfCount = halfW * halfH
        zbuf = .allocate(capacity: count)
        index = .allocate(capacity: count)
        hdr = .allocate(capacity: count * 3)
        half = .allocate(capacity: halfCount)
        blurA = .allocate(capacity: halfCount)
        blurB = .allocate(capacity: halfCount)
        scratch = .allocate(capacity: halfCount)
        rows = .allocate(capacity: 3 * (width + 8) + 16)
        wideA = .allocate(capacity: 3 * halfH * width)
        wideB = .allocate(capacity: 3 * halfH * width)
        noise = .allocate(capacity: 4096)
        shadeRows = .allocate(capacity: 4 * (width + 16) + 6 * (width / 8 + 2))
        packLo = .allocate(capacity: count)
        packHi = .allocate(capacity: count)
        depthMM = .allocate(capacity: count)
        finishIndices = .allocate(capacity: 3 * (width + 8))
        remap = .allocate(capacity: count)
        outRGB = .allocate(capacity: count * 3)
        outDepth = .allocate(capacity: count)
        outIds = .allocate(capacity: count)
    }

    deinit {
        for p in [zbuf, hdr, half, blurA, blurB, scratch, rows, wideA, wideB, noise, shadeRows] { p.deallocate() }
        for p in [finishIndices, packLo, packHi] { p.deallocate() }
        depthMM.deallocate()
        index.deallocate(); remap.deallocate(); outRGB.deallocate(); outDepth.deallocate(); outIds.deallocate()
    }

    /// Renders `scene` through `camera`. The returned buffers stay valid until the next call.
    public func render(_ scene: Scene, camera: Camera, sensor: SensorSettings) -> FrameImages {
        postProcess(rasterizeAndShade(scene, camera: camera), sensor: sensor)
    }

    /// A frame after visibility and shading, before post-processing: what `postProcess` needs besides the
    /// renderer's own buffers, which hold the shaded image until the renderer's next call.
    public struct ShadedFrame {
        let camera: Camera
        let view: View
        let objects: [Prepared]
        let nearest: Float
    }

    /// The first half of `render`: visibility (rays against the objects' screen rectangles) and shading into the
    /// renderer's buffers; sets `timings.raster`, `.visibility` and `.shading`.
    public func rasterizeAndShade(_ scene: Scene, camera: Camera) -> ShadedFrame {
        let t0 = monotonicSeconds()
        let view = View(camera: camera, width: width, height: height)
        let objects = scene.objects.map { Prepared($0, cameraPosition: camera.position) }
        rasterize(objects, view: view)
        let tv = monotonicSeconds()
        let nearest = shade(scene, objects, view: view)
        let t1 = monotonicSeconds()
        timings = RenderTimings(raster: t1 - t0, visibility: tv - t0, shading: t1 - tv)
        return ShadedFrame(camera: camera, view: view, objects: objects, nearest: nearest)
    }

    /// The second half of `render`: depth of field (in place, on the shaded image), distortion, tone mapping,
    /// sensor noise and the three output images of `frame`, which must be this renderer's latest shaded frame.
    /// Sets the remaining `timings`. `render` is exactly `postProcess(rasterizeAndShade(...), sensor:)`.
    public func postProcess(_ frame: ShadedFrame, sensor: SensorSettings) -> FrameImages {
        let t1 = monotonicSeconds()
        depthOfField(camera: frame.camera, nearest: frame.nearest)
        let tb = monotonicSeconds()
        computeRemap(camera: frame.camera, view: frame.view)
        let tr = monotonicSeconds()
        pack(objects: frame.objects)
        finish(sensor: sensor)
        let t2 = monotonicSeconds()
        timings.post = t2 - t1; timings.blur = tb - t1; timings.distortion = tr - tb; timings.final = t2 - tr
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
            // Directions in the object's frame are linear in px: d(px) = d(0) + px·step.
            let step = o.toLocal(view.stepRight)
            let origin = V8(o.cameraLocal)
            for py in rect.y0...rect.y1 {
                let row = py * width
                let d0 = o.toLocal(view.direction(0, py))
                for chunk in 0...((rect.x1 - rect.x0) >> 3) {
                    let px = rect.x0 + 8 * chunk
                    let fpx = lanes8 + Float(px)
                    var t = intersect8(o.kind, o.a, o.b, o.c, origin, V8(d0, step, fpx), tMin: 1e-4)
                    t = t.replacing(with: .infinity, where: fpx .> Float(rect.x1))
                    let z = load8(zbuf + row, px, width)
                    var closer = bits8(t .< z)
                    if closer == 0 { continue }
                    store8(min8(t, z), zbuf + row, px, width)
                    while closer != 0 {
                        index[row + px + closer.trailingZeroBitCount] = tag
                        closer &= closer - 1
                    }
                }
            }
        }
    }

    // MARK: - shading

    /// The scene's light as shading uses it: the sun's direction and irradiance, the ambient sky term and the
    /// background's HDR value.
    struct Lighting {
        let L: SIMD3<Float>
        let sunE: SIMD3<Float>
        let ambient: SIMD3<Float>
        let ambientSpecular: SIMD3<Float>
        let bgHDR: SIMD3<Float>

        init(_ scene: Scene) {
            L = scene.sun.direction
            sunE = scene.sun.color * scene.sun.intensity
            let bgLinear = SIMD3<Float>(srgbToLinear(scene.background.x), srgbToLinear(scene.background.y),
                                        srgbToLinear(scene.background.z))
            ambient = SIMD3<Float>(repeating: 0.05) + 0.25 * bgLinear
            let bgClamped = pointwiseMin(bgLinear, SIMD3(repeating: 0.995))
            bgHDR = bgClamped / (SIMD3(repeating: 1) - bgClamped)
            ambientSpecular = ambient * 0.02
        }
    }

    /// Shadow footprints of each object's bounding sphere on the floor plane (conservative circles: centre x, y
    /// and squared radius) and their screen rectangles.
    struct Footprints {
        let circles: [SIMD3<Float>]
        let rects: [(x0: Int, y0: Int, x1: Int, y1: Int)]

        init(_ objects: [Prepared], sun L: SIMD3<Float>, view: View) {
            circles = objects.map { o in
                let s = o.position - (o.position.z / L.z) * L
                let r = o.bound / L.z
                return SIMD3(s.x, s.y, r * r)
            }
            rects = circles.map { f in
                view.screenRect(center: SIMD3(f.x, f.y, 0), radius: f.z.squareRoot(), flat: true) ?? (1, 1, 0, 0)
            }
        }
    }

    /// The floor's sun response (a multiplier `a` on albedo and an additive specular term `b`) on a grid of
    /// `step`-px cells. The floor is flat with one material, so the response depends only on the view direction:
    /// it is evaluated exactly at the grid points and interpolated bilinearly in between. Planar: channel c of
    /// grid point i at a[c * gw * gh + i]. The owner deallocates.
    struct FloorGrid {
        static let step = 8
        let gw: Int, gh: Int
        let a: UnsafeMutablePointer<Float>
        let b: UnsafeMutablePointer<Float>

        init(width: Int, height: Int, view: View, lighting: Lighting) {
            let step = FloorGrid.step
            gw = width / step + 2; gh = height / step + 2
            a = .allocate(capacity: 3 * gw * gh)
            b = .allocate(capacity: 3 * gw * gh)
            let up = V8(SIMD3<Float>(0, 0, 1)), unshadowed = F8(repeating: 1)
            let white = Material(albedo: SIMD3(repeating: 1), roughness: 0.75, metallic: 0)
            let black = Material(albedo: .zero, roughness: 0.75, metallic: 0)
            let L = lighting.L, sunE = lighting.sunE
            for gy in 0..<gh {
                let d0 = view.direction(0, gy * step), dStep = view.stepRight * Float(step)
                for block in 0..<((gw + 7) >> 3) {
                    let gx = 8 * block
                    let v = -V8(d0, dStep, lanes8 + Float(gx)).normalized
                    let rb = shadeGGX8(n: up, v: v, l: L, m: black, sun: sunE, visible: unshadowed, ambient: .zero)
                    let ra = shadeGGX8(n: up, v: v, l: L, m: white, sun: sunE, visible: unshadowed, ambient: .zero) - rb
                    let row = gy * gw, plane = gw * gh
                    store8(ra.x, a + row, gx, gw); store8(ra.y, a + plane + row, gx, gw); store8(ra.z, a + 2 * plane + row, gx, gw)
                    store8(rb.x, b + row, gx, gw); store8(rb.y, b + plane + row, gx, gw); store8(rb.z, b + 2 * plane + row, gx, gw)
                }
            }
        }

        func deallocate() { a.deallocate(); b.deallocate() }
    }

    /// The per-row work space of shading (in `shadeRows`): floor hit distance and point, sun visibility, and the
    /// row's interpolated floor response per grid column.
    struct ShadeRow {
        let tF: UnsafeMutablePointer<Float>, fx: UnsafeMutablePointer<Float>, fy: UnsafeMutablePointer<Float>
        let lit: UnsafeMutablePointer<Float>
        let respA: UnsafeMutablePointer<Float>, respB: UnsafeMutablePointer<Float>   // 3 × gw each

        init(_ base: UnsafeMutablePointer<Float>, width: Int, gw: Int) {
            let rowStride = width + 16
            tF = base; fx = base + rowStride; fy = base + 2 * rowStride; lit = base + 3 * rowStride
            respA = base + 4 * rowStride; respB = respA + 3 * gw
        }
    }

    @inline(__always) static func at(_ p: UnsafeMutablePointer<Float>, _ i: Int) -> F8 {
        UnsafeRawPointer(p + i).loadUnaligned(as: F8.self)
    }

    /// Shades every pixel into `hdr`, finalizes `zbuf` (0 = no hit) and `index`; returns the nearest z-depth.
    /// Row by row, eight pixels a step: floor intersection, floor shadows, floor (texture × sun response) and
    /// background colour; then each object's pixels, eight at a time.
    @discardableResult
    func shade(_ scene: Scene, _ objects: [Prepared], view: View) -> Float {
        let lighting = Lighting(scene)
        let footprints = Footprints(objects, sun: lighting.L, view: view)
        let grid = FloorGrid(width: width, height: height, view: view, lighting: lighting)
        defer { grid.deallocate() }
        let work = ShadeRow(shadeRows, width: width, gw: grid.gw)
        var nearest = F8(repeating: .infinity)
        for py in 0..<height {
            floorHits(row: py, view: view, floorHalf: scene.floorHalfSize, into: work)
            unhideFloor(row: py, work)
            floorShadows(row: py, objects, footprints, sun: lighting.L, into: work)
            floorResponse(row: py, grid, into: work)
            shadeFloor(row: py, scene.floor, lighting, gw: grid.gw, work, nearest: &nearest)
        }
        shadeObjects(objects, view: view, lighting: lighting)
        return minLane(nearest)
    }

    /// 1. Floor hit along the row: d = d0 + px·stepRight (8 px per step; row buffers are padded).
    @inline(__always) private func floorHits(row py: Int, view: View, floorHalf: Float, into w: ShadeRow) {
        let cam = view.origin
        let d0 = view.direction(0, py), dr = view.stepRight
        for block in 0..<((width + 7) >> 3) {
            let i = 8 * block
            let fpx = lanes8 + Float(i)
            let dx = d0.x + dr.x * fpx, dy = d0.y + dr.y * fpx, dz = d0.z + dr.z * fpx
            let t = -cam.z / dz
            let x = cam.x + t * dx, y = cam.y + t * dy
            // Outside the floor square, or looking level or up: the largest of these is positive.
            let ax = x.replacing(with: -x, where: x .< 0), ay = y.replacing(with: -y, where: y .< 0)
            let edge = ax.replacing(with: ay, where: ay .> ax) - floorHalf
            let dzTerm = dz + 1e-7
            let miss = edge.replacing(with: dzTerm, where: dzTerm .> edge) .> 0
            UnsafeMutableRawPointer(w.tF + i).storeBytes(of: t.replacing(with: .infinity, where: miss), as: F8.self)
            UnsafeMutableRawPointer(w.fx + i).storeBytes(of: x.replacing(with: 0, where: miss), as: F8.self)
            UnsafeMutableRawPointer(w.fy + i).storeBytes(of: y.replacing(with: 0, where: miss), as: F8.self)
        }
    }

    /// 2. Object pixels behind the floor become floor pixels; then z = +inf marks the unhidden floor.
    @inline(__always) private func unhideFloor(row py: Int, _ w: ShadeRow) {
        let row = py * width
        let z = zbuf + row, idx = index + row
        for block in 0..<((width + 7) >> 3) {
            let i = 8 * block
            let zi = load8(z, i, width)
            var behind = bits8((zi .> Renderer.at(w.tF, i)) .& (zi .< .infinity))
            while behind != 0 {
                let px = i + behind.trailingZeroBitCount
                idx[px] = 0; z[px] = .infinity
                behind &= behind - 1
            }
        }
    }

    /// 3. Shadows: along a row the floor points lie on a line, and an object is convex, so the pixels whose sun ray
    ///    it blocks form one interval inside its footprint's rectangle: find its two ends among the floor pixels
    ///    that no object hides.
    @inline(__always) private func floorShadows(row py: Int, _ objects: [Prepared], _ footprints: Footprints,
                                                sun L: SIMD3<Float>, into w: ShadeRow) {
        let z = zbuf + py * width
        w.lit.update(repeating: 1, count: width)
        for (j, rect) in footprints.rects.enumerated() where rect.y0 <= py && py <= rect.y1 {
            let o = objects[j], f = footprints.circles[j]
            /// Bits of the pixels px...px+7 (within the rectangle) in this object's shadow.
            @inline(__always) func shadowed(_ px: Int) -> Int {
                let t = Renderer.at(w.tF, px), x = Renderer.at(w.fx, px), y = Renderer.at(w.fy, px)
                let lane = lanes8 + Float(px)
                let dx = x - f.x, dy = y - f.y
                let candidate = (t .< .infinity) .& (load8(z, px, width) .== .infinity) .& (dx * dx + dy * dy .< f.z)
                    .& (lane .>= Float(rect.x0)) .& (lane .<= Float(rect.x1))
                if bits8(candidate) == 0 { return 0 }
                return bits8(candidate .& o.blocks8(V8(x, y, F8(repeating: 0)), L))
            }
            var first = -1
            for chunk in 0...((rect.x1 - rect.x0) >> 3) {
                let px = rect.x0 + 8 * chunk
                let b = shadowed(px)
                if b != 0 { first = px + b.trailingZeroBitCount; break }
            }
            if first < 0 { continue }
            var last = first
            for chunk in 0...((rect.x1 - first) >> 3) {
                let px = max(0, rect.x1 - 7 - 8 * chunk)
                let b = shadowed(px)
                if b != 0 { last = px + (Int.bitWidth - 1 - b.leadingZeroBitCount); break }
            }
            (w.lit + first).update(repeating: 0, count: last - first + 1)
        }
    }

    /// 4a. This row's floor response per grid column (interpolated between two grid rows).
    @inline(__always) private func floorResponse(row py: Int, _ grid: FloorGrid, into w: ShadeRow) {
        let gw = grid.gw, gh = grid.gh
        let gy = py >> 3, wy = Float(py & 7) * 0.125
        for c in 0..<3 {
            let ga = grid.a + c * gw * gh + gy * gw, gb = grid.b + c * gw * gh + gy * gw
            let ra = w.respA + c * gw, rb = w.respB + c * gw
            for gx in 0..<gw {
                ra[gx] = ga[gx] + (ga[gx + gw] - ga[gx]) * wy
                rb[gx] = gb[gx] + (gb[gx + gw] - gb[gx]) * wy
            }
        }
    }

    /// 4b. Floor (albedo × interpolated response, shadowed) and background colour, and depth; object pixels keep
    ///     their depth and are shaded by `shadeObjects`.
    @inline(__always) private func shadeFloor(row py: Int, _ floorTexture: FloorTexture, _ lighting: Lighting, gw: Int,
                                              _ w: ShadeRow, nearest: inout F8) {
        let step = FloorGrid.step
        let row = py * width
        let z = zbuf + row
        let cells = (width + step - 1) / step
        let outR = hdr + row, outG = hdr + count + row, outB = hdr + 2 * count + row
        let aR = w.respA, aG = w.respA + gw, aB = w.respA + 2 * gw, bR = w.respB, bG = w.respB + gw, bB = w.respB + 2 * gw
        let ambient = lighting.ambient, ambientSpecular = lighting.ambientSpecular, bgHDR = lighting.bgHDR
        @inline(__always) func across(_ r: UnsafeMutablePointer<Float>, _ cell: Int) -> F8 {
            r[cell] + (r[cell + 1] - r[cell]) * 0.125 * lanes8
        }
        for cell in 0..<cells {
            let i = cell * step
            let t = Renderer.at(w.tF, i), zi = load8(z, i, width)
            let offFloor = t .== .infinity, object = zi .< .infinity
            let depth = t.replacing(with: 0, where: offFloor).replacing(with: zi, where: object)
            store8(depth, z, i, width)
            nearest = nearest.replacing(with: depth, where: (depth .< nearest) .& (depth .> 0))
            var color = V8(bgHDR)
            if bits8(.!offFloor .& .!object) != 0 {
                let l = Renderer.at(w.lit, i)
                let albedo = floorAlbedo8(floorTexture, Renderer.at(w.fx, i), Renderer.at(w.fy, i))
                let floorR = albedo.x * (across(aR, cell) * l + ambient.x) + across(bR, cell) * l + ambientSpecular.x
                let floorG = albedo.y * (across(aG, cell) * l + ambient.y) + across(bG, cell) * l + ambientSpecular.y
                let floorB = albedo.z * (across(aB, cell) * l + ambient.z) + across(bB, cell) * l + ambientSpecular.z
                color = V8(floorR.replacing(with: bgHDR.x, where: offFloor), floorG.replacing(with: bgHDR.y, where: offFloor),
                           floorB.replacing(with: bgHDR.z, where: offFloor))
            }
            store8(color.x, outR, i, width)
            store8(color.y, outG, i, width)
            store8(color.z, outB, i, width)
        }
    }

    /// 5. Object pixels, eight at a time. Only objects whose bounding sphere the sun ray from this object's
    ///    bounding sphere can reach are tested for shadows.
    private func shadeObjects(_ objects: [Prepared], view: View, lighting: Lighting) {
        let L = lighting.L, sunE = lighting.sunE, ambient = lighting.ambient
        let cam = view.origin
        let red = hdr, green = hdr + count, blue = hdr + 2 * count
        let objectRects = objects.map { view.screenRect(center: $0.position, radius: $0.bound) }
        let blockers: [[Int]] = objects.indices.map { k in
            objects.indices.filter { j in
                guard j != k else { return false }
                let w = objects[j].position - objects[k].position
                let closest = objects[k].position + max(dot(w, L), 0) * L
                let gap = objects[j].position - closest
                let reach = objects[j].bound + objects[k].bound
                return dot(gap, gap) < reach * reach
            }
        }
        objects.withUnsafeBufferPointer { objs in
            for (k, o) in objs.enumerated() {
                guard let rect = objectRects[k] else { continue }
                let tag = UInt16(k + 1)
                let shadowing = blockers[k]
                for py in rect.y0...rect.y1 {
                    let row = py * width
                    let d0 = view.direction(0, py)
                    for chunk in 0...((rect.x1 - rect.x0) >> 3) {
                        let px = rect.x0 + 8 * chunk
                        let tags = F8(I8(truncatingIfNeeded: loadTags8(index + row, px, width)))
                        let active = (tags .== Float(tag)) .& (lanes8 + Float(px) .<= Float(rect.x1))
                        if bits8(active) == 0 { continue }
                        let d = V8(d0, view.stepRight, lanes8 + Float(px))
                        let hit = d * load8(zbuf + row, px, width) + cam
                        let n = o.toWorld8(localNormal8(o.kind, o.a, o.b, o.c, o.toLocal8(hit - o.position)))
                        var visible = F8(repeating: 1)
                        if !shadowing.isEmpty {
                            let from = hit + n * 1e-3
                            for j in shadowing {
                                visible = visible.replacing(with: 0, where: objs[j].blocks8(from, L))
                                if bits8(visible .> 0) == 0 { break }
                            }
                        }
                        let color = shadeGGX8(n: n, v: -d.normalized, l: L, m: o.material, sun: sunE, visible: visible,
                                              ambient: ambient)
                        let r = red + row, g = green + row, b = blue + row
                        store8(load8(r, px, width).replacing(with: color.x, where: active), r, px, width)
                        store8(load8(g, px, width).replacing(with: color.y, where: active), g, px, width)
                        store8(load8(b, px, width).replacing(with: color.z, where: active), b, px, width)
                    }
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
                    let nx = (xd - dx) / radial, ny = (yd - dy) / radial
                    let change = abs(nx - x) + abs(ny - y)
                    x = nx; y = ny
                    if change < 1e-7 { break }   // about 1e-4 px at the widest view
                }
                // Where the lens model folds over (no inverse), the pixel sees nothing the camera rendered.
                let residual = distort(x, y) - SIMD2(xd, yd)
                let converged = abs(residual.x) + abs(residual.y) < 0.5 / view.fpx
                grid[gy * gw + gx] = converged ? SIMD2(x * view.fpx + view.cx - 0.5, y * view.fpx + view.cy - 0.5)
                                               : SIMD2(-1e6, -1e6)
            }
        }
        let invStep = 1 / Float(step)
        let w = Float(width), h = Float(height)
        grid.withUnsafeBufferPointer { g in
            for py in 0..<height {
                let gy = py / step, wy = Float(py - gy * step) * invStep
                for gx in 0..<(gw - 1) {
                    let a = g[gy * gw + gx], b = g[gy * gw + gx + 1], c = g[(gy + 1) * gw + gx], d = g[(gy + 1) * gw + gx + 1]
                    let left = a + (c - a) * wy, right = b + (d - b) * wy
                    let delta = (right - left) * invStep
                    let s = left + 0.5  // + 0.5: truncation below rounds to nearest
                    let x0 = gx * step, x1 = min(x0 + step, width)
                    if x0 >= width { break }
                    for block in 0..<((x1 - x0 + 7) >> 3) {
                        let px = x0 + 8 * block
                        let j = lanes8 + Float(px - x0)
                        let sx = s.x + delta.x * j, sy = s.y + delta.y * j
                        let valid = (sx .>= 0) .& (sx .< w) .& (sy .>= 0) .& (sy .< h)
                        let ix = trunc8(min8(max8(sx, F8(repeating: 0)), F8(repeating: w)))
                        let iy = trunc8(min8(max8(sy, F8(repeating: 0)), F8(repeating: h)))
                        let source = (iy &* Int32(width) &+ ix).replacing(with: -1, where: .!valid)
                        let out = remap + py * width + px
                        if px + 8 <= x1 {
                            UnsafeMutableRawPointer(out).storeBytes(of: source, as: I8.self)
                        } else {
                            for k in 0..<(x1 - px) { out[k] = source[k] }
                        }
                    }
                }
            }
        }
    }

}

/// Tone curve: sRGB-encoded Reinhard x / (1 + x), ×255, indexed by a float's exponent and top 10 mantissa bits
/// (a piecewise-linear log scale: relative steps of 2^-10, well under a quarter of an 8-bit level), for
/// radiance x in [2^-14, 2^8); larger values read the last entry, smaller ones (and 0) entry 0, which is black
/// (the curve there is 0.2 of a level).
enum ToneCurve {
    static let base = UInt32(127 - 14) << 10
    static let count = Int((UInt32(127 + 8) << 10) - base)
    static let table: [Float] = (0..<count).map { i in
        if i == 0 { return 0 }
        let x = Float(bitPattern: (UInt32(i) + base) << 13 | 0x1000)
        return linearToSRGB(x / (1 + x)) * 255
    }
    /// The entry of black.
    static let blackIndex: UInt32 = 0
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
