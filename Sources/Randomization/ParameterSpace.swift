/// When a parameter is drawn: once per episode (it shapes the physics) or once per frame.
public enum Scope: String, Sendable { case episode, frame }

/// How many values one draw produces: a scalar, a fixed vector, or one item per object / per obstacle.
public enum Repeat: String, Sendable {
    case none
    /// one item per target object (the config's `objects` list)
    case objects
    /// one item per obstacle, as many as this episode's `num_obstacles`
    case obstacles = "num_obstacles"
}

/// The fixed facts about a parameter that no config can change: its group, scope, shape, valid domain,
/// nominal (mid) value and the `full` preset's distribution.
public struct ParameterSpec: Sendable {
    public let name: String
    public let group: String
    public let scope: Scope
    /// Components per item (3 for colours, 2 for x/y positions, 1 for scalars).
    public let components: Int
    public let repeats: Repeat
    /// Valid range of numeric values; a config whose distribution leaves it is rejected.
    public let domain: ClosedRange<Double>
    /// Allowed category names (empty for numeric parameters).
    public let categories: [String]
    /// Integer-valued parameter (only `integer` or `constant` distributions).
    public let isInteger: Bool
    /// The value `none` fixes the parameter at.
    public let nominal: ParamValue
    /// The `full` preset's distribution (the seed chapter's range).
    public let full: Distribution
    /// Unit, for reports.
    public let unit: String

    /// A *content* parameter decides what the scene holds and where it is seen from (object placement and
    /// poses, obstacles, camera viewpoint); every preset samples it from `full`. The others are *domain*
    /// parameters (appearance, lighting, materials, textures, lens, sensor, physics), which presets fix.
    public var isContent: Bool { ParameterSpace.contentNames.contains(name) }
}

/// The complete list of parameters SynthBench randomizes, in the order they are logged.
public enum ParameterSpace {
    static func u(_ a: Double, _ b: Double) -> Distribution { .uniform(min: a, max: b) }
    static func spec(_ name: String, _ group: String, _ scope: Scope, _ full: Distribution, domain: ClosedRange<Double>,
                     nominal: ParamValue? = nil, components: Int = 1, repeats: Repeat = .none,
                     categories: [String] = [], integer: Bool = false, unit: String = "") -> ParameterSpec {
        let mid: ParamValue
        if let nominal { mid = nominal } else if case .uniform(let a, let b) = full { mid = .number((a + b) / 2) }
        else if case .integer(let a, let b) = full { mid = .number(Double((a + b) / 2)) }
        else if case .constant(let v) = full { mid = v }
        else { mid = .number(0) }
        return ParameterSpec(name: name, group: group, scope: scope, components: components, repeats: repeats,
                             domain: domain, categories: categories, isInteger: integer, nominal: mid, full: full, unit: unit)
    }

    public static let all: [ParameterSpec] = [
        // lighting
        spec("light_intensity", "lighting", .frame, u(0.5, 2.0), domain: 0...20, unit: "x"),
        spec("light_color", "lighting", .frame, .choice(values: ["warm", "cool", "neutral"], weights: [1, 1, 1]),
             domain: 0...0, nominal: .text("neutral"), categories: ["warm", "cool", "neutral"]),
        spec("sun_azimuth", "lighting", .frame, u(0, 360), domain: 0...360, unit: "deg"),
        spec("sun_elevation", "lighting", .frame, u(10, 80), domain: 1...90, unit: "deg"),
        // material
        spec("roughness", "material", .frame, u(0.1, 0.9), domain: 0.02...1),
        spec("metallic", "material", .frame, u(0, 1), domain: 0...1),
        spec("object_color", "material", .frame, u(0, 1), domain: 0...1, components: 3),
        // physics
        spec("gravity", "physics", .episode, u(8, 10), domain: 0.1...100, unit: "m/s^2"),
        spec("friction", "physics", .episode, u(0.3, 1.5), domain: 0...10),
        spec("restitution", "physics", .episode, u(0, 0.3), domain: 0...1),
        spec("mass_scale", "physics", .episode, u(0.9, 1.1), domain: 0.01...100),
        spec("inertia_scale", "physics", .episode, u(0.9, 1.1), domain: 0.01...100),
        spec("damping", "physics", .episode, u(0, 0.5), domain: 0...0.99),
        // scene
        spec("object_scale", "scene", .episode, u(0.5, 2.0), domain: 0.05...5),
        spec("num_obstacles", "scene", .episode, .integer(min: 0, max: 5), domain: 0...16, integer: true),
        spec("obstacle_size", "scene", .episode, u(0.1, 0.5), domain: 0.02...2, repeats: .obstacles, unit: "m"),
        spec("obstacle_position", "scene", .episode, u(-1, 1), domain: -5...5, nominal: .number(0.6),
             components: 2, repeats: .obstacles, unit: "m"),
        spec("object_position", "scene", .episode, u(-2, 2), domain: -10...10, components: 2, unit: "m"),
        spec("drop_offset", "scene", .episode, u(-0.25, 0.25), domain: -2...2, nominal: .number(0.12),
             components: 2, repeats: .objects, unit: "m"),
        spec("drop_rotation", "scene", .episode, u(0, 360), domain: 0...360, nominal: .number(30),
             components: 3, repeats: .objects, unit: "deg"),
        spec("floor_texture", "scene", .frame, .choice(values: ["tile", "wood", "concrete"], weights: [1, 1, 1]),
             domain: 0...0, nominal: .text("tile"), categories: ["tile", "wood", "concrete"]),
        spec("background_color", "scene", .frame, u(0, 1), domain: 0...1, components: 3),
        // camera
        spec("camera_azimuth", "camera", .frame, u(0, 360), domain: 0...360, unit: "deg"),
        spec("camera_elevation", "camera", .frame, u(15, 60), domain: 2...89, unit: "deg"),
        spec("camera_distance", "camera", .frame, u(1.2, 3.0), domain: 0.3...50, unit: "m"),
        spec("focal_length", "camera", .frame, u(15, 35), domain: 4...300, unit: "mm"),
        spec("aperture", "camera", .frame, u(1.4, 8), domain: 0.7...64, unit: "f-number"),
        spec("camera_noise_std", "camera", .frame, .constant(.number(0.01)), domain: 0...0.5),
        spec("distortion_k1", "camera", .frame, u(-0.15, 0.05), domain: -0.5...0.5),
        spec("distortion_k2", "camera", .frame, u(-0.02, 0.02), domain: -0.2...0.2),
        spec("distortion_p1", "camera", .frame, u(-0.002, 0.002), domain: -0.05...0.05),
        spec("distortion_p2", "camera", .frame, u(-0.002, 0.002), domain: -0.05...0.05),
    ]

    /// The content parameters (`ParameterSpec.isContent`); docs/FORMATS.md lists the split.
    public static let contentNames: Set<String> = [
        "object_position", "drop_offset", "drop_rotation", "num_obstacles", "obstacle_size", "obstacle_position",
        "camera_azimuth", "camera_elevation", "camera_distance",
    ]

    public static let byName: [String: ParameterSpec] = Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0) })
}
