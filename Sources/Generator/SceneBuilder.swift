import Physics
import Randomization
import Render
import Support

/// Turns sampled parameters into physics bodies, a render scene and a camera. Pure functions.
enum SceneBuilder {
    /// Base shape of each category at object_scale 1 (metres).
    static func shape(_ category: String, scale: Double) -> Shape {
        switch category {
        case "box": return .box(SIMD3(0.24, 0.16, 0.12) * scale)
        case "sphere": return .sphere(radius: 0.09 * scale)
        case "cylinder": return .cylinder(radius: 0.07 * scale, length: 0.2 * scale)
        default: return .capsule(radius: 0.055 * scale, length: 0.16 * scale)
        }
    }

    /// First id of the unannotated obstacles in the instance mask.
    static let obstacleIdBase: UInt16 = 1001

    static func worldParams(_ e: [String: ParamValue], dt: Double) -> WorldParams {
        WorldParams(gravity: e["gravity"]!.double, friction: e["friction"]!.double, restitution: e["restitution"]!.double,
                    massScale: e["mass_scale"]!.double, inertiaScale: e["inertia_scale"]!.double,
                    damping: e["damping"]!.double, dt: dt)
    }

    /// Rotation (row-major) from x-y-z Euler angles in degrees, applied as Rz·Ry·Rx.
    static func rotation(degrees v: [Double]) -> [Double] {
        let a = v[0] * .pi / 180, b = v[1] * .pi / 180, c = v[2] * .pi / 180
        let (ca, sa, cb, sb, cc, sc) = (cos(a), sin(a), cos(b), sin(b), cos(c), sin(c))
        return [cc * cb, cc * sb * sa - sc * ca, cc * sb * ca + sc * sa,
                sc * cb, sc * sb * sa + cc * ca, sc * sb * ca - cc * sa,
                -sb, cb * sa, cb * ca]
    }

    /// Target objects first (in config order), then obstacles.
    static func bodies(_ e: [String: ParamValue], objects: [String]) -> [BodySpec] {
        let scale = e["object_scale"]!.double
        let center = e["object_position"]!.vector
        let offsets = e["drop_offset"]!.list
        let rotations = e["drop_rotation"]!.list
        var out: [BodySpec] = []
        var height = 0.02
        for (i, category) in objects.enumerated() {
            let s = shape(category, scale: scale)
            let off = offsets[i].vector
            height += s.boundingRadius
            out.append(BodySpec(shape: s, position: SIMD3(center[0] + off[0], center[1] + off[1], height),
                                rotation: rotation(degrees: rotations[i].vector), density: 500))
            height += s.boundingRadius + 0.05
        }
        let sizes = e["obstacle_size"]!.list
        let positions = e["obstacle_position"]!.list
        for j in 0..<sizes.count {
            let size = sizes[j].double
            let p = positions[j].vector
            out.append(BodySpec(shape: .box(SIMD3(size, size, size)),
                                position: SIMD3(center[0] + p[0], center[1] + p[1], size / 2 + 0.001), density: 800,
                                scaled: false))
        }
        return out
    }

    static func primitive(_ s: Shape) -> Primitive {
        switch s {
        case .box(let e): return .box(halfExtents: SIMD3<Float>(Float(e.x), Float(e.y), Float(e.z)) / 2)
        case .sphere(let r): return .sphere(radius: Float(r))
        case .cylinder(let r, let l): return .cylinder(radius: Float(r), halfLength: Float(l / 2))
        case .capsule(let r, let l): return .capsule(radius: Float(r), halfLength: Float(l / 2))
        }
    }

    static func srgbToLinear(_ c: Double) -> Float {
        Float(c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4))
    }

    static func scene(_ f: FrameSample, bodies: [BodySpec], poses: [Pose], objectCount: Int) -> Scene {
        let color = f["object_color"].vector
        let objectMaterial = Material(albedo: SIMD3(srgbToLinear(color[0]), srgbToLinear(color[1]), srgbToLinear(color[2])),
                                      roughness: Float(f.number("roughness")), metallic: Float(f.number("metallic")))
        let obstacleMaterial = Material(albedo: SIMD3(repeating: 0.3), roughness: 0.6, metallic: 0)
        var objects: [SceneObject] = []
        for (i, body) in bodies.enumerated() {
            let pose = poses[i]
            let isTarget = i < objectCount
            objects.append(SceneObject(primitive: primitive(body.shape),
                                       position: SIMD3(Float(pose.position.x), Float(pose.position.y), Float(pose.position.z)),
                                       rotation: pose.rotation.map(Float.init),
                                       material: isTarget ? objectMaterial : obstacleMaterial,
                                       id: isTarget ? UInt16(i + 1) : obstacleIdBase + UInt16(i - objectCount)))
        }
        let bg = f["background_color"].vector
        let sun = Sun(azimuthDegrees: Float(f.number("sun_azimuth")), elevationDegrees: Float(f.number("sun_elevation")),
                      intensity: Float(f.number("light_intensity")), color: Sun.color(named: f["light_color"].text))
        return Scene(objects: objects, floor: FloorTexture(rawValue: f["floor_texture"].text) ?? .plain,
                     background: SIMD3(Float(bg[0]), Float(bg[1]), Float(bg[2])), sun: sun)
    }

    /// Sensor noise of frame `f`: its standard deviation and a noise stream keyed by (seed, frame id).
    static func sensor(_ f: FrameSample, seed: UInt64) -> SensorSettings {
        SensorSettings(noiseStd: Float(f.number("camera_noise_std")),
                       noiseKey: CounterRNG.key([seed, UInt64(f.frameId), 0x4E01_5E00]))
    }

    static func camera(_ f: FrameSample, sensorWidthMM: Double) -> Camera {
        let center = f["object_position"].vector
        let target = SIMD3<Float>(Float(center[0]), Float(center[1]), 0.1)
        let az = f.number("camera_azimuth") * .pi / 180, el = f.number("camera_elevation") * .pi / 180
        let dist = f.number("camera_distance")
        let offset = SIMD3<Float>(Float(dist * cos(el) * cos(az)), Float(dist * cos(el) * sin(az)), Float(dist * sin(el)))
        return Camera(position: target + offset, target: target, focalLengthMM: Float(f.number("focal_length")),
                      sensorWidthMM: Float(sensorWidthMM), fNumber: Float(f.number("aperture")),
                      focusDistance: Float(dist),
                      k1: Float(f.number("distortion_k1")), k2: Float(f.number("distortion_k2")),
                      p1: Float(f.number("distortion_p1")), p2: Float(f.number("distortion_p2")))
    }
}

#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
