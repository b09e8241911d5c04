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
}
