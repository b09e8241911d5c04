import Foundation
import Testing
import DatasetFormat
@testable import Generator
import Randomization
import Support
import TestSupport

/// Same config and seed → byte-identical files, whatever envs, lanes, shards or interruptions.
@Suite(.serialized, .tags(.slow)) struct DeterminismTests {
    static let config = Fixture.small(framesPerEpisode: 4)
    static let frames = 30
    static let reference: (String, [String: String]) = {
        let dir = try! Fixture.generate(config, frames: frames, envs: 3, lanes: 2)
        return (dir, Fixture.digests(dir))
    }()

    @Test func referenceIsComplete() throws {
        let (dir, d) = Self.reference
        #expect(d.keys.filter { $0.hasPrefix("rgb/") }.count == Self.frames)
        #expect(d.keys.filter { $0.hasPrefix("depth/") }.count == Self.frames)
        #expect(d.keys.filter { $0.hasPrefix("mask/") }.count == Self.frames)
        #expect(!FileIO.exists(dir + "/.synthbench"))
        // The manifest lists every file with its true digest.
        let m = try Manifest.read(path: dir + "/manifest.json")
        #expect(m.files.mapValues(\.sha256) == d)
    }

    @Test(arguments: [(1, 1), (1, 2), (64, 1), (64, 2), (5, 3)])
    func envsAndLanesDoNotChangeBytes(envs: Int, lanes: Int) throws {
        let dir = try Fixture.generate(Self.config, frames: Self.frames, envs: envs, lanes: lanes)
        #expect(Fixture.digests(dir) == Self.reference.1)
    }

    @Test(arguments: [2, 3])
    func shardsMergedEqualOneRun(count: Int) throws {
        let parts = try (1...count).map { try Fixture.generate(Self.config, frames: Self.frames, envs: 2, lanes: 1, shard: ($0, count)) }
        let merged = Fixture.tempDir("merged")
        let n = try Merger.merge(parts: parts.reversed(), output: merged)
        #expect(n == Self.frames)
        #expect(Fixture.digests(merged) == Self.reference.1)
    }

    @Test func mergeRefusesIncompleteOrForeignShards() throws {
        let a = try Fixture.generate(Self.config, frames: Self.frames, envs: 2, lanes: 1, shard: (1, 2))
        #expect(throws: GeneratorError.self) { try Merger.merge(parts: [a], output: Fixture.tempDir("m1")) }
        let other = try Fixture.generate(Self.config, frames: Self.frames, envs: 2, lanes: 1, seed: 99, shard: (2, 2))
        #expect(throws: GeneratorError.self) { try Merger.merge(parts: [a, other], output: Fixture.tempDir("m2")) }
    }

    @Test(arguments: [1, 7, 13, 29])
    func cancelledRunResumesToTheSameBytes(cancelAfter: Int) throws {
        let dir = Fixture.tempDir("resume")
        #expect(throws: Cancelled.self) {
            try Fixture.generate(Self.config, frames: Self.frames, envs: 3, lanes: 2, into: dir, cancelAfter: cancelAfter)
        }
        #expect(!FileIO.exists(dir + "/manifest.json"))
        try Fixture.generate(Self.config, frames: Self.frames, envs: 5, lanes: 1, into: dir, resume: true)
        #expect(Fixture.digests(dir) == Self.reference.1)
    }

    @Test func differentSeedsDiffer() throws {
        let dir = try Fixture.generate(Self.config, frames: 4, seed: 8)
        let other = Fixture.imageDigests(dir)
        let same = other.filter { Self.reference.1[$0.key] == $0.value }
        #expect(same.isEmpty)
    }
}
