import Physics
import Randomization
import Render
import Support

/// What a render lane hands the renderer for one frame.
public struct RenderInput: Sendable {
    public let frameId: Int
    public let scene: Scene
    public let camera: Camera
    public let sensor: SensorSettings
}

/// One episode of `generate`, without files: the same sampling, physics and scene building as the render lanes,
/// so rendering its frames gives exactly the images of a dataset made with this config and seed. For benchmarks
/// and tools that drive the physics or the renderer on the generator's own inputs.
public struct EpisodeReplay: Sendable {
    public let config: GeneratorConfig
    public let seed: UInt64
    public let episode: Int
    /// The episode's physics parameters and bodies (target objects in config order, then obstacles).
    public let world: WorldParams
    public let bodies: [BodySpec]
    let samples: [FrameSample]

    /// Samples the episode's parameters and the visual parameters of each of its `config.framesPerEpisode` frames.
    public init(config: GeneratorConfig, seed: UInt64, episode: Int) {
        self.config = config; self.seed = seed; self.episode = episode
        let sampler = Sampler(config: config, seed: seed)
        let values = sampler.episode(episode)
        world = SceneBuilder.worldParams(values, dt: config.physicsDt)
        bodies = SceneBuilder.bodies(values, objects: config.objects)
        samples = (0..<config.framesPerEpisode).map { sampler.frame(episode: episode, index: $0, episodeValues: values) }
    }

    /// Runs the episode's physics from the drop to its last frame and returns every frame's render input.
    public func simulate() throws -> [RenderInput] {
        let physics = try PhysicsEpisode(params: world, bodies: bodies)
        return samples.map { f in
            physics.step(f.step - physics.stepCount)
            return RenderInput(frameId: f.frameId,
                               scene: SceneBuilder.scene(f, bodies: bodies, poses: physics.poses(), objectCount: config.objects.count),
                               camera: SceneBuilder.camera(f, sensorWidthMM: config.sensorWidthMM),
                               sensor: SceneBuilder.sensor(f, seed: seed))
        }
    }
}
