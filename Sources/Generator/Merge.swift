import DatasetFormat
import Foundation
import Support
#if canImport(Glibc)
import Glibc
#endif

/// Merges the shards of one run into one dataset whose files are byte-identical to an unsharded run's.
public enum Merger {
    /// Returns the number of frames merged. Every shard 1...n must be given once, all from the same config,
    /// seed and frame count; the output directory must be absent or empty.
    public static func merge(parts: [String], output: String) throws -> Int {
        guard !parts.isEmpty else { throw GeneratorError.usage("PARTS", "give the shard directories to merge") }
        var manifests: [(String, Manifest)] = []
        for p in parts {
            let path = p + "/" + DatasetLayout.manifest
            guard FileIO.exists(path) else { throw GeneratorError.badInput(p, "no \(DatasetLayout.manifest): not a finished shard") }
            manifests.append((p, try Manifest.read(path: path)))
        }
        let first = manifests[0].1
        for (p, m) in manifests {
            guard m.configHash == first.configHash, m.seed == first.seed, m.totalFrames == first.totalFrames,
                  m.shard.count == first.shard.count else {
                throw GeneratorError.badInput(p, "shard of a different run (config, seed, frames or shard count differ from \(manifests[0].0))")
            }
        }
        manifests.sort { $0.1.shard.index < $1.1.shard.index }
        let indices = manifests.map(\.1.shard.index)
        guard indices == Array(1...first.shard.count) else {
            throw GeneratorError.usage("PARTS", "expected shards 1...\(first.shard.count) once each, got \(indices.map(String.init).joined(separator: ","))")
        }
        if FileIO.exists(output) && !FileIO.listDirectory(output).isEmpty { throw FileIOError(.notEmpty, path: output) }
        try FileIO.makeDirectory(output)
        for sub in DatasetLayout.imageDirectories + [DatasetLayout.stateDirectory] { try FileIO.makeDirectory(output + "/" + sub) }
        let journalPath = output + "/" + DatasetLayout.journal
        let journal = try AppendFile(path: journalPath, truncateTo: 0)
        var frames = 0
        var expected = 0
        for (p, m) in manifests {
            guard m.frameRange.lowerBound == expected else {
                throw GeneratorError.badInput(p, "frame range \(m.frameRange) does not continue at frame \(expected)")
            }
            expected = m.frameRange.upperBound
            for r in try DatasetLayout.readRecords(datasetDirectory: p, manifest: m) {
                for name in [DatasetLayout.rgb(r.frame), DatasetLayout.depth(r.frame), DatasetLayout.mask(r.frame)] {
                    try place(p + "/" + name, at: output + "/" + name, expected: m.files[name])
                }
                journal.append(r.line)
                try journal.flushIfLarge()
                frames += 1
            }
        }
        guard expected == first.totalFrames else {
            throw GeneratorError.badInput(manifests.last!.0, "shards end at frame \(expected), run has \(first.totalFrames)")
        }
        try journal.flush(sync: true)
        let run = JSONText.object([("merged_from", "[" + manifests.map { JSONText.string($0.0) }.joined(separator: ",") + "]")])
        try Generator.finalize(directory: output, journalPath: journalPath,
                               manifest: Manifest(seed: first.seed, totalFrames: first.totalFrames, frameRange: 0..<first.totalFrames,
                                                  shard: (1, 1), configJSON: first.configJSON, configHash: first.configHash,
                                                  files: [:], runJSON: run))
        return frames
    }

    /// Hard-links (or copies) a shard's file into place, checking its size against the shard's manifest.
    static func place(_ source: String, at target: String, expected: FileEntry?) throws {
        var st = stat()
        guard stat(source, &st) == 0 else { throw FileIOError(.read, path: source, errno: errno) }
        guard let expected, Int(st.st_size) == expected.bytes else {
            throw GeneratorError.badInput(source, "size differs from the shard's manifest")
        }
        if link(source, target) == 0 { return }
        try FileIO.writeAtomically(try FileIO.readAll(source), to: target)
    }
}
