import DatasetFormat
import Foundation
import Randomization
import Support
import Testing

/// The one manifest writer and reader: what `json` writes, `read` gives back; a malformed manifest is refused
/// naming the file and the field.
@Suite struct ManifestTests {
    static func sample(seed: UInt64 = 7, range: Range<Int> = 8..<16, total: Int = 24, shard: (Int, Int) = (2, 3)) throws -> Manifest {
        let config = try GeneratorConfig.preset("light")
        var files: [String: FileEntry] = [:]
        for f in range {
            files[DatasetLayout.rgb(f)] = FileEntry(sha256: String(repeating: "a", count: 64), bytes: 1000 + f)
            files[DatasetLayout.depth(f)] = FileEntry(sha256: String(repeating: "b", count: 64), bytes: 2000 + f)
            files[DatasetLayout.mask(f)] = FileEntry(sha256: String(repeating: "c", count: 64), bytes: 3000 + f)
        }
        files[DatasetLayout.annotations] = FileEntry(sha256: String(repeating: "d", count: 64), bytes: 12)
        return Manifest(seed: seed, totalFrames: total, frameRange: range, shard: shard, configJSON: config.canonicalJSON,
                        configHash: config.hash, files: files, runJSON: #"{"seconds":1.5,"envs":4,"peak_rss_bytes":123456}"#)
    }

    static func tempFile(_ text: String) throws -> String {
        let path = NSTemporaryDirectory() + "synthbench-manifest-\(UUID().uuidString.prefix(8)).json"
        try FileIO.writeAtomically(text, to: path)
        return path
    }

    @Test(arguments: [UInt64(0), 7, UInt64(Int64.max) + 12, UInt64.max])
    func roundTrip(seed: UInt64) throws {
        let m = try Self.sample(seed: seed)
        let path = try Self.tempFile(m.json)
        defer { try? FileIO.remove(path) }
        let back = try Manifest.read(path: path)
        #expect(back.seed == seed)
        #expect(back.totalFrames == m.totalFrames && back.frameRange == m.frameRange)
        #expect(back.shard == m.shard)
        #expect(back.configJSON == m.configJSON && back.configHash == m.configHash)
        #expect(back.files == m.files)
        // Written again (with the same run), the text is byte-identical.
        var again = back
        again.runJSON = m.runJSON
        #expect(again.json == m.json)
    }

    @Test func documentGivesTheRunAndTheDeclarations() throws {
        let m = try Self.sample()
        let doc = try ManifestDocument.parse(Array(m.json.utf8), path: "m.json")
        #expect(ManifestDocument.integer(doc["run"]?["peak_rss_bytes"]) == 123456)
        #expect(doc.depthUnit == "mm" && doc.depthScaleToMetres == 0.001)
        #expect(doc.listedFiles().map(\.name) == m.files.keys.sorted())
        let declared = try doc.declaredParameters()
        let config = try GeneratorConfig.preset("light")
        #expect(declared.map(\.name) == ParameterSpace.all.map(\.name))
        for p in declared {
            let spec = try #require(ParameterSpace.byName[p.name])
            #expect(p.scope == spec.scope && p.repeats == spec.repeats && p.components == spec.components)
            // Choice weights come back normalized; everything else exactly as configured.
            switch (p.distribution, config.distributions[p.name]!) {
            case (.choice(let v, let w), .choice(let v0, let w0)):
                let total = w0.reduce(0, +)
                #expect(v == v0 && w == w0.map { $0 / total })
            case (let a, let b):
                #expect(a == b, "\(p.name)")
            }
        }
    }

    /// Each edit breaks one field; the error names the file and that field.
    @Test(arguments: [
        (#""seed":7"#, #""seed":-7"#, "seed"),
        (#""seed":7"#, #""seed":"7""#, "seed"),
        (#""frames":24"#, #""frames":10"#, "frames"),
        (#""frame_range":[8,16]"#, #""frame_range":[16,8]"#, "frame_range"),
        (#""frame_range":[8,16]"#, #""frame_range":[8]"#, "frame_range"),
        (#""frame_range":[8,16]"#, #""frame_range":[8,16.5]"#, "frame_range[1]"),
        (#""shard":{"index":2,"count":3}"#, #""shard":{"index":4,"count":3}"#, "shard"),
        (#""shard":{"index":2,"count":3}"#, #""shard":{"count":3}"#, "shard.index"),
        (#""config_hash":"#, #""config_hash":1,"x":"#, "config_hash"),
        (#""bytes":1008}"#, #""bytes":"1008"}"#, "files.rgb/rgb_000008.png"),
    ] as [(String, String, String)])
    func malformedFieldIsNamed(original: String, replacement: String, field: String) throws {
        let text = try Self.sample().json
        #expect(text.contains(original))
        let path = try Self.tempFile(text.replacingOccurrences(of: original, with: replacement))
        defer { try? FileIO.remove(path) }
        let e = #expect(throws: InputError.self) { try Manifest.read(path: path) }
        #expect(e?.file == path)
        #expect(e?.field == field, "\(String(describing: e))")
        #expect(e?.description.hasPrefix("\(path): \(field): ") == true, "\(String(describing: e))")
    }

    @Test func syntaxErrorsAndMissingFilesArePlaced() throws {
        let path = try Self.tempFile("{\n  \"seed\": 7,\n  \"frames\": }\n")
        defer { try? FileIO.remove(path) }
        let e = #expect(throws: InputError.self) { try ManifestDocument.read(path: path) }
        #expect(e?.line == 3 && e?.column == 13, "\(String(describing: e))")
        #expect(e?.description.hasPrefix("\(path):3:13: expected a value") == true, "\(String(describing: e))")
        #expect(e?.message.hasSuffix("(not valid JSON)") == true)
        let missing = #expect(throws: InputError.self) { try ManifestDocument.read(path: path + ".absent") }
        #expect(missing?.message.contains("missing") == true)
        let big = #expect(throws: InputError.self) { try ManifestDocument.read(path: path, byteLimit: 8) }
        #expect(big?.message.contains("over the limit of 8 bytes") == true)
    }

    @Test func layoutNames() {
        #expect(DatasetLayout.rgb(7) == "rgb/rgb_000007.png")
        #expect(DatasetLayout.depth(123456) == "depth/depth_123456.png")
        #expect(DatasetLayout.mask(0) == "mask/mask_000000.png")
        #expect(DatasetLayout.imageId(0) == 1 && DatasetLayout.annotationId(frame: 2, instance: 3) == 131)
    }
}
