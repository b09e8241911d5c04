import CODE
import Foundation

/// Rigid-body settling on ODE. `PhysicsEpisode` drops bodies onto the floor plane z = 0 and steps the world
/// under the episode's gravity, friction, restitution, mass/inertia scale and damping. Deterministic: the same
/// inputs give the same poses bit for bit (ODE runs single-threaded per world; all ODE calls are serialized).
public enum Shape: Equatable, Sendable {
    /// Full edge lengths along local x, y, z.
    case box(SIMD3<Double>)
    case sphere(radius: Double)
    /// Along local z: radius and length of the straight part.
    case cylinder(radius: Double, length: Double)
    case capsule(radius: Double, length: Double)

    /// Radius of a sphere around the local origin that contains the shape.
    public var boundingRadius: Double {
        switch self {
        case .box(let e): return (e * 0.5).length
        case .sphere(let r): return r
        case .cylinder(let r, let l): return (r * r + l * l / 4).squareRoot()
        case .capsule(let r, let l): return r + l / 2
        }
    }

    public var volume: Double {
        switch self {
        case .box(let e): return e.x * e.y * e.z
        case .sphere(let r): return 4 / 3 * Double.pi * r * r * r
        case .cylinder(let r, let l): return Double.pi * r * r * l
        case .capsule(let r, let l): return Double.pi * r * r * l + 4 / 3 * Double.pi * r * r * r
        }
    }
}

public extension SIMD3 where Scalar == Double {
    var length: Double { (self * self).sum().squareRoot() }
}

/// A rigid body to drop: its shape, initial pose and density (kg/m³).
public struct BodySpec: Equatable, Sendable {
    public var shape: Shape
    public var position: SIMD3<Double>
    /// Row-major 3×3 rotation.
    public var rotation: [Double]
    public var density: Double
    /// Whether the episode's mass and inertia scales apply to this body (target objects) or not (fixed props).
    public var scaled: Bool

    public init(shape: Shape, position: SIMD3<Double>, rotation: [Double] = [1, 0, 0, 0, 1, 0, 0, 0, 1], density: Double = 500,
                scaled: Bool = true) {
        self.shape = shape; self.position = position; self.rotation = rotation; self.density = density; self.scaled = scaled
    }
}

/// The episode's physical constants.
public struct WorldParams: Equatable, Sendable {
    public var gravity: Double
    public var friction: Double
    public var restitution: Double
    public var massScale: Double
    public var inertiaScale: Double
    /// Linear and angular velocity damping rate, per second.
    public var damping: Double
    public var dt: Double

    public init(gravity: Double = 9.81, friction: Double = 0.8, restitution: Double = 0.1, massScale: Double = 1,
                inertiaScale: Double = 1, damping: Double = 0.1, dt: Double = 0.01) {
        self.gravity = gravity; self.friction = friction; self.restitution = restitution
        self.massScale = massScale; self.inertiaScale = inertiaScale; self.damping = damping; self.dt = dt
    }
}

/// Position and row-major rotation of a body.
public struct Pose: Equatable, Sendable {
    public var position: SIMD3<Double>
    public var rotation: [Double]
}

/// An ODE failure.
public struct ODEError: Error, CustomStringConvertible {
    public enum Reason { case initialization, creation }
    public let reason: Reason
    public let message: String
    public var description: String { "ODE \(reason): \(message)" }
}

/// One episode's world. Not thread-safe by itself; every ODE call goes through `ODELock`.
public final class PhysicsEpisode {
    public let params: WorldParams
    public private(set) var stepCount = 0
    private var world: dWorldID?
    private var space: dSpaceID?
    private var contacts: dJointGroupID?
    private var bodies: [dBodyID] = []
    private var geoms: [dGeomID] = []
    private var contactParams: synthbench_ode_contact_params
    /// ODE's QuickStep shuffles constraints with a global RNG; each episode keeps its own RNG state so that
    /// interleaving episodes on threads never changes an episode's result.
    private var randomState: UInt = 0

    public init(params: WorldParams, bodies specs: [BodySpec]) throws {
        self.params = params
        contactParams = synthbench_ode_contact_params()
        try ODELock.run { try build(specs) }
    }

    private func build(_ specs: [BodySpec]) throws {
            ODELock.prepareThread()
            guard let w = dWorldCreate(), let s = dSimpleSpaceCreate(nil), let c = dJointGroupCreate(0) else {
                throw ODEError(reason: .creation, message: "cannot create the world")
            }
            world = w; space = s; contacts = c
            dWorldSetGravity(w, 0, 0, -params.gravity)
            dWorldSetQuickStepNumIterations(w, 30)
            dWorldSetContactSurfaceLayer(w, 0.0005)
            dWorldSetCFM(w, 1e-6)
            let perStep = 1 - exp(-params.damping * params.dt)
            _ = dCreatePlane(s, 0, 0, 1, 0)
            for spec in specs {
                guard let b = dBodyCreate(w) else { throw ODEError(reason: .creation, message: "cannot create a body") }
                var m = dMass()
                let g: dGeomID?
                switch spec.shape {
                case .box(let e):
                    dMassSetBox(&m, spec.density, e.x, e.y, e.z); g = dCreateBox(s, e.x, e.y, e.z)
                case .sphere(let r):
                    dMassSetSphere(&m, spec.density, r); g = dCreateSphere(s, r)
                case .cylinder(let r, let l):
                    dMassSetCylinder(&m, spec.density, 3, r, l); g = dCreateCylinder(s, r, l)
                case .capsule(let r, let l):
                    dMassSetCapsule(&m, spec.density, 3, r, l); g = dCreateCapsule(s, r, l)
                }
                guard let geom = g else { throw ODEError(reason: .creation, message: "cannot create a geometry") }
                let massScale = spec.scaled ? params.massScale : 1
                let inertiaScale = spec.scaled ? params.massScale * params.inertiaScale : 1
                m.mass *= massScale
                withUnsafeMutableBytes(of: &m.I) { raw in
                    let p = raw.bindMemory(to: dReal.self)
                    for i in 0..<p.count { p[i] *= inertiaScale }
                }
                dBodySetMass(b, &m)
                dGeomSetBody(geom, b)
                dBodySetPosition(b, spec.position.x, spec.position.y, spec.position.z)
                var r = [dReal](repeating: 0, count: 12)
                for i in 0..<3 { for j in 0..<3 { r[i * 4 + j] = spec.rotation[i * 3 + j] } }
                dBodySetRotation(b, r)
                dBodySetLinearDamping(b, perStep)
                dBodySetAngularDamping(b, perStep)
                dBodySetAutoDisableFlag(b, 0)
                bodies.append(b); geoms.append(geom)
            }
            contactParams.world = w
            contactParams.contacts = c
            contactParams.mu = params.friction
            contactParams.bounce = params.restitution
            contactParams.max_contacts = 4
    }

    deinit {
        ODELock.run {
            if let contacts { dJointGroupDestroy(contacts) }
            if let space { dSpaceDestroy(space) }
            if let world { dWorldDestroy(world) }
        }
    }

    /// Advances the world by `n` steps of `params.dt`.
    public func step(_ n: Int) {
        guard n > 0 else { return }
        ODELock.run {
            ODELock.prepareThread()
            dRandSetSeed(randomState)
            for _ in 0..<n {
                synthbench_ode_collide(space, &contactParams)
                dWorldQuickStep(world, params.dt)
                dJointGroupEmpty(contacts)
            }
            randomState = dRandGetSeed()
        }
        stepCount += n
    }

    /// Current poses, in the order the bodies were given.
    public func poses() -> [Pose] {
        ODELock.run {
            bodies.map { b in
                var pos = [Double](repeating: 0, count: 3)
                var rot = [Double](repeating: 0, count: 9)
                synthbench_ode_pose(b, &pos, &rot)
                return Pose(position: SIMD3(pos[0], pos[1], pos[2]), rotation: rot)
            }
        }
    }

    /// Largest linear speed among the bodies (m/s), to tell settling from motion.
    public func maxSpeed() -> Double {
        ODELock.run {
            bodies.map { b -> Double in
                let v = dBodyGetLinearVel(b)!
                return (v[0] * v[0] + v[1] * v[1] + v[2] * v[2]).squareRoot()
            }.max() ?? 0
        }
    }
}

/// Serializes ODE calls (ODE's global and per-thread state is not safe to share across threads).
enum ODELock {
    static let lock = NSLock()
    static let initialized: Bool = {
        dInitODE2(0)
        return true
    }()
    static let threadKey = "synthbench.ode.thread"

    static func run<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock(); defer { lock.unlock() }
        _ = initialized
        return try body()
    }

    static func prepareThread() {
        if Thread.current.threadDictionary[threadKey] == nil {
            _ = dAllocateODEDataForThread(UInt32(truncatingIfNeeded: dAllocateMaskAll.rawValue))
            Thread.current.threadDictionary[threadKey] = true
        }
    }
}

/// The ODE library this process uses. ODE has no run-time version call: `version` is that of the headers it was
/// built against (`dODE_VERSION`); `configuration` is the loaded library's own build configuration
/// (`dGetConfiguration`, e.g. "ODE_double_precision ODE_EXT_no_debug ...").
public enum ODELibrary {
    public static var version: String { dODE_VERSION }
    public static var configuration: String {
        ODELock.run { dGetConfiguration().map { String(cString: $0) } ?? "" }
    }
}
