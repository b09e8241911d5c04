#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// Projection helpers for one camera and image size. Directions are `forward + x·right − y·up` with the
/// image-plane offsets in units of the focal length, so the ray parameter t equals z-depth.
struct View {
    let origin: SIMD3<Float>
    let forward: SIMD3<Float>, right: SIMD3<Float>, up: SIMD3<Float>
    /// Focal length in pixels and principal point.
    let fpx: Float, cx: Float, cy: Float
    let width: Int, height: Int
    let stepRight: SIMD3<Float>, stepDown: SIMD3<Float>, corner: SIMD3<Float>

    init(camera: Camera, width: Int, height: Int) {
        let b = camera.basis
        origin = camera.position
        forward = b.forward; right = b.right; up = b.up
        fpx = camera.focalLengthMM / camera.sensorWidthMM * Float(width)
        cx = Float(width) / 2; cy = Float(height) / 2
        self.width = width; self.height = height
        stepRight = right / fpx
        stepDown = -up / fpx
        corner = forward + stepRight * (0.5 - cx) + stepDown * (0.5 - cy)
    }

    @inline(__always) func direction(_ px: Int, _ py: Int) -> SIMD3<Float> {
        corner + stepRight * Float(px) + stepDown * Float(py)
    }

    /// Pixel rectangle covering a sphere, or nil when it is entirely off screen or behind the camera.
    /// `flat`: a square of half-size `radius` in the plane z = center.z instead of a cube.
    func screenRect(center: SIMD3<Float>, radius: Float, flat: Bool = false) -> (x0: Int, y0: Int, x1: Int, y1: Int)? {
        var xs: [Float] = [], ys: [Float] = []
        for i in 0..<(flat ? 4 : 8) {
            let corner = center + radius * SIMD3(i & 1 == 0 ? -1 : 1, i & 2 == 0 ? -1 : 1, flat ? 0 : (i & 4 == 0 ? -1 : 1))
            let rel = corner - origin
            let z = dot(rel, forward)
            if z <= 1e-3 { return (0, 0, width - 1, height - 1) }
            xs.append(cx + fpx * dot(rel, right) / z)
            ys.append(cy - fpx * dot(rel, up) / z)
        }
        let x0 = max(0, Int(xs.min()!.rounded(.down)) - 1), x1 = min(width - 1, Int(xs.max()!.rounded(.up)) + 1)
        let y0 = max(0, Int(ys.min()!.rounded(.down)) - 1), y1 = min(height - 1, Int(ys.max()!.rounded(.up)) + 1)
        if x0 > x1 || y0 > y1 { return nil }
        return (x0, y0, x1, y1)
    }
}

/// A scene object with its transforms precomputed for one camera.
struct Prepared {
    let kind: UInt8
    let a: Float, b: Float, c: Float
    let position: SIMD3<Float>
    let row0: SIMD3<Float>, row1: SIMD3<Float>, row2: SIMD3<Float>   // local → world
    let col0: SIMD3<Float>, col1: SIMD3<Float>, col2: SIMD3<Float>   // world → local
    let cameraLocal: SIMD3<Float>
    let bound: Float
    let material: Material
    let id: UInt16

    init(_ o: SceneObject, cameraPosition: SIMD3<Float>) {
        switch o.primitive {
        case .box(let h): kind = 0; a = h.x; b = h.y; c = h.z
        case .sphere(let r): kind = 1; a = r; b = 0; c = 0
        case .cylinder(let r, let h): kind = 2; a = r; b = h; c = 0
        case .capsule(let r, let h): kind = 3; a = r; b = h; c = 0
        }
        let m = o.rotation
        row0 = SIMD3(m[0], m[1], m[2]); row1 = SIMD3(m[3], m[4], m[5]); row2 = SIMD3(m[6], m[7], m[8])
        col0 = SIMD3(m[0], m[3], m[6]); col1 = SIMD3(m[1], m[4], m[7]); col2 = SIMD3(m[2], m[5], m[8])
        position = o.position
        bound = o.primitive.boundingRadius
        material = o.material
        id = o.id
        let rel = cameraPosition - o.position
        cameraLocal = SIMD3(dot(col0, rel), dot(col1, rel), dot(col2, rel))
    }

    @inline(__always) func toLocal(_ v: SIMD3<Float>) -> SIMD3<Float> { SIMD3(dot(col0, v), dot(col1, v), dot(col2, v)) }
    @inline(__always) func toWorld(_ v: SIMD3<Float>) -> SIMD3<Float> { SIMD3(dot(row0, v), dot(row1, v), dot(row2, v)) }

    /// Does the ray from `point` toward the sun `l` hit this object?
    @inline(__always) func blocks(_ point: SIMD3<Float>, _ l: SIMD3<Float>) -> Bool {
        let oc = point - position
        let bq = dot(oc, l), cq = dot(oc, oc) - bound * bound
        if cq > 0 && bq > 0 { return false }
        if bq * bq - cq < 0 { return false }
        return intersect(kind, a, b, c, toLocal(oc), toLocal(l), tMin: 1e-4) < .infinity
    }
}

/// Cook–Torrance with the GGX distribution, Smith–Schlick geometry and Schlick Fresnel; the sun's irradiance
/// `sun` (already multiplied by visibility) scaled so that a white Lambertian surface facing the sun returns it,
/// plus an ambient sky term.
@inline(__always)
func shadeGGX(n: SIMD3<Float>, v: SIMD3<Float>, l: SIMD3<Float>, m: Material, sun: SIMD3<Float>,
              ambient: SIMD3<Float>) -> SIMD3<Float> {
    let f0 = SIMD3<Float>(repeating: 0.04) * (1 - m.metallic) + m.albedo * m.metallic
    let diffuseColor = m.albedo * (1 - m.metallic)
    var color = ambient * (diffuseColor + 0.5 * f0)
    let nl = dot(n, l)
    if nl <= 0 || (sun.x + sun.y + sun.z) == 0 { return color }
    let nv = max(dot(n, v), 1e-4)
    let h = normalize(l + v)
    let nh = max(dot(n, h), 0), vh = max(dot(v, h), 0)
    let alpha = m.roughness * m.roughness
    let a2 = alpha * alpha
    let den = nh * nh * (a2 - 1) + 1
    let dTerm = a2 / (Float.pi * den * den)
    let k = (m.roughness + 1) * (m.roughness + 1) / 8
    let g = nv / (nv * (1 - k) + k) * nl / (nl * (1 - k) + k)
    let fw1 = 1 - vh, fw2 = fw1 * fw1
    let fw = fw2 * fw2 * fw1
    let fresnel = f0 + (SIMD3<Float>(repeating: 1) - f0) * fw
    let specular = fresnel * (dTerm * g / (4 * nv * nl))
    let kd = (SIMD3<Float>(repeating: 1) - fresnel) * diffuseColor
    color += (kd / Float.pi + specular) * sun * (nl * Float.pi)
    return color
}

/// floor() through a 32-bit conversion (inputs well inside Int32 range).
@inline(__always) func floor32(_ x: Float) -> Float {
    let i = Float(Int32(x))
    return i > x ? i - 1 : i
}

/// A smooth periodic wave in [-1, 1] with period 1 (a cubic, cheaper than sin).
@inline(__always) func wave(_ x: Float) -> Float {
    let f = x - floor32(x)
    let t = f < 0.5 ? 4 * f - 1 : 3 - 4 * f   // triangle in [-1, 1]
    return t * (1.5 - 0.5 * t * t)
}

/// floor() without a libc call (inputs well inside Int range).
@inline(__always) func floorFast(_ x: Float) -> Float {
    let i = Float(Int(x))
    return i > x ? i - 1 : i
}

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

/// Smooth value noise in [0, 1].
@inline(__always) func valueNoise(_ x: Float, _ y: Float) -> Float {
    let xf = floor32(x), yf = floor32(y)
    let xi = Int(Int32(xf) & 255), yi = Int(Int32(yf) & 255)
    let xj = (xi + 1) & 255, yj = (yi + 1) & 255
    var tx = x - xf, ty = y - yf
    tx = tx * tx * (3 - 2 * tx); ty = ty * ty * (3 - 2 * ty)
    let n = noiseLattice
    let a = n[yi << 8 | xi], b = n[yi << 8 | xj], c = n[yj << 8 | xi], d = n[yj << 8 | xj]
    return (a + (b - a) * tx) * (1 - ty) + (c + (d - c) * tx) * ty
}
