import DatasetFormat
import Foundation
import Testing
import Generator
import Randomization
import Render
import Support

/// `EpisodeReplay` hands the renderer exactly what `generate`'s lanes do: its frames, rendered in two stages
/// and encoded, are the dataset's files byte for byte.
@Suite struct EpisodeReplayTests {
    static let config = Fixture.small(framesPerEpisode: 3)
    static let seed: UInt64 = 11

    @Test(arguments: [0, 2])
    func replayedFramesAreTheDatasetsImages(episode: Int) throws {
        let dir = try Fixture.generate(Self.config, frames: 9, envs: 2, lanes: 2, seed: Self.seed)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let onDisk = Fixture.imageDigests(dir)
        let inputs = try EpisodeReplay(config: Self.config, seed: Self.seed, episode: episode).simulate()
        #expect(inputs.map(\.frameId) == Array(3 * episode..<3 * episode + 3))
        let renderer = Renderer(width: Self.config.width, height: Self.config.height)
        let encoder = PNGEncoder()
        let (w, h) = (Self.config.width, Self.config.height)
        for input in inputs {
            let shaded = renderer.rasterizeAndShade(input.scene, camera: input.camera)
            let images = renderer.postProcess(shaded, sensor: input.sensor)
            let digests = [
                SHA256.hex(Array(try encoder.encode(images.rgb, width: w, height: h, channels: 3, settings: .rgb))),
                SHA256.hex(Array(try encoder.encode(images.depth, width: w, height: h, channels: 1, settings: .depth))),
                SHA256.hex(Array(try encoder.encode(images.ids, width: w, height: h, channels: 1, settings: .mask))),
            ]
            let f = input.frameId
            #expect(digests == [onDisk[DatasetLayout.rgb(f)], onDisk[DatasetLayout.depth(f)], onDisk[DatasetLayout.mask(f)]])
        }
    }

    @Test func physicsDependsOnTheEpisode() throws {
        let a = EpisodeReplay(config: Self.config, seed: Self.seed, episode: 0)
        let b = EpisodeReplay(config: Self.config, seed: Self.seed, episode: 1)
        #expect(a.world != b.world)
        #expect(a.bodies != b.bodies)
        // Replaying twice gives the same scenes (ODE's global RNG is saved and restored per episode).
        let first = try a.simulate().map { $0.scene.objects.map(\.position) }
        let second = try a.simulate().map { $0.scene.objects.map(\.position) }
        #expect(first == second)
    }
}
