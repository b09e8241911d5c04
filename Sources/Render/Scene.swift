/// What the renderer draws: a finite floor, analytic objects, a sun and a background. All positions in metres,
/// world z up, floor at z = 0.
public struct Scene: Sendable {
    public var objects: [SceneObject]
    public var floor: FloorTexture
    /// Half the floor's edge length (the floor is a square centred on the origin).
    public var floorHalfSize: Float
    /// Display colour (sRGB, [0, 1]) of pixels where nothing is hit; also tints the ambient light.
    public var background: SIMD3<Float>
    public var sun: Sun

    public init(objects: [SceneObject], floor: FloorTexture, floorHalfSize: Float = 6, background: SIMD3<Float>, sun: Sun) {
        self.objects = objects; self.floor = floor; self.floorHalfSize = floorHalfSize
        self.background = background; self.sun = sun
    }
}

public enum FloorTexture: String, Sendable, CaseIterable { case tile, wood, concrete, plain }

/// A directional light: azimuth and elevation in degrees, intensity (irradiance scale) and linear colour.
public struct Sun: Sendable {
    public var azimuthDegrees: Float
    public var elevationDegrees: Float
    public var intensity: Float
    public var color: SIMD3<Float>

    public init(azimuthDegrees: Float, elevationDegrees: Float, intensity: Float, color: SIMD3<Float>) {
        self.azimuthDegrees = azimuthDegrees; self.elevationDegrees = elevationDegrees
        self.intensity = intensity; self.color = color
    }

    /// Unit vector from the scene toward the sun.
    public var direction: SIMD3<Float> {
        let az = azimuthDegrees * .pi / 180, el = elevationDegrees * .pi / 180
        return SIMD3(cosf(el) * cosf(az), cosf(el) * sinf(az), sinf(el))
    }

    /// Linear colours of the named light temperatures (the seed's warm (1, 1, 0.8) / cool (0.8, 0.8, 1)).
    public static func color(named name: String) -> SIMD3<Float> {
        switch name {
        case "warm": return SIMD3(1.0, 1.0, 0.8)
        case "cool": return SIMD3(0.8, 0.8, 1.0)
        default: return SIMD3(1, 1, 1)
        }
    }
}

/// Cook–Torrance material: base colour (linear), GGX roughness and metalness.
public struct Material: Sendable {
    public var albedo: SIMD3<Float>
    public var roughness: Float
    public var metallic: Float
    public init(albedo: SIMD3<Float>, roughness: Float, metallic: Float) {
        self.albedo = albedo; self.roughness = roughness; self.metallic = metallic
    }
}

/// An analytic solid in its local frame (centred on the origin; cylinders and capsules along local z).
public enum Primitive: Sendable, Equatable {
    case box(halfExtents: SIMD3<Float>)
    case sphere(radius: Float)
    case cylinder(radius: Float, halfLength: Float)
    case capsule(radius: Float, halfLength: Float)

    public var boundingRadius: Float {
        switch self {
        case .box(let h): return (h * h).sum().squareRoot()
        case .sphere(let r): return r
        case .cylinder(let r, let h): return (r * r + h * h).squareRoot()
        case .capsule(let r, let h): return r + h
        }
    }
}

/// An object placed in the world. `id` is written to the instance mask (0 is reserved for floor/background).
public struct SceneObject: Sendable {
    public var primitive: Primitive
    public var position: SIMD3<Float>
    /// Row-major 3×3 rotation, local → world.
    public var rotation: [Float]
    public var material: Material
    public var id: UInt16

    public init(primitive: Primitive, position: SIMD3<Float>, rotation: [Float] = [1, 0, 0, 0, 1, 0, 0, 0, 1],
                material: Material, id: UInt16) {
        self.primitive = primitive; self.position = position; self.rotation = rotation; self.material = material; self.id = id
    }
}

/// A pinhole camera with a thin-lens depth of field and Brown–Conrady distortion.
public struct Camera: Sendable {
    public var position: SIMD3<Float>
    public var target: SIMD3<Float>
    public var focalLengthMM: Float
    public var sensorWidthMM: Float
    /// f-number; with the focal length it sets the aperture diameter for depth of field.
    public var fNumber: Float
    /// Distance (m, along the optical axis) that is in focus.
    public var focusDistance: Float
    /// Brown–Conrady radial (k1, k2) and tangential (p1, p2) coefficients on normalized image coordinates.
    public var k1: Float, k2: Float, p1: Float, p2: Float

    public init(position: SIMD3<Float>, target: SIMD3<Float>, focalLengthMM: Float, sensorWidthMM: Float = 36,
                fNumber: Float = 8, focusDistance: Float = 2, k1: Float = 0, k2: Float = 0, p1: Float = 0, p2: Float = 0) {
        self.position = position; self.target = target; self.focalLengthMM = focalLengthMM; self.sensorWidthMM = sensorWidthMM
        self.fNumber = fNumber; self.focusDistance = focusDistance; self.k1 = k1; self.k2 = k2; self.p1 = p1; self.p2 = p2
    }

    /// Orthonormal basis: forward (optical axis), right, and up (image y points down = -up).
    public var basis: (forward: SIMD3<Float>, right: SIMD3<Float>, up: SIMD3<Float>) {
        let f = normalize(target - position)
        let worldUp: SIMD3<Float> = abs(f.z) > 0.999 ? SIMD3(0, 1, 0) : SIMD3(0, 0, 1)
        let r = normalize(cross(f, worldUp))
        let u = cross(r, f)
        return (f, r, u)
    }
}

@inline(__always) func dot(_ a: SIMD3<Float>, _ b: SIMD3<Float>) -> Float { (a * b).sum() }
@inline(__always) func normalize(_ a: SIMD3<Float>) -> SIMD3<Float> { a / dot(a, a).squareRoot() }
@inline(__always) func cross(_ a: SIMD3<Float>, _ b: SIMD3<Float>) -> SIMD3<Float> {
    SIMD3(a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x)
}

#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
