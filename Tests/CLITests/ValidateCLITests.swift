import Foundation
import Testing
import TestSupport

/// `synthbench validate` end to end: the built binary, its exit codes and output.
@Suite(.tags(.slow, .endToEnd)) struct ValidateCLITests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("fixtures/coco")
    static func path(_ rel: String) -> String { fixtures.appendingPathComponent(rel).path }

    @Test func validFileExitsZero() throws {
        let r = try CLI.run(["validate", Self.path("valid/base.json")])
        #expect(r.code == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("valid (dataset: 2 images, 3 annotations, 2 categories); 0 errors, 0 warnings"))
    }

    @Test(arguments: ["bbox-outside-image.json", "annotation-id-zero.json", "rle-size-swapped.json", "file-path-escapes"])
    func invalidInputExitsOneAndNamesTheCode(_ name: String) throws {
        let r = try CLI.run(["validate", Self.path("invalid/" + name)])
        #expect(r.code == 1, "\(r.stdout)\(r.stderr)")
        let code = name.replacingOccurrences(of: ".json", with: "")
        #expect(r.stdout.contains("error: \(code): "), "\(r.stdout)")
        #expect(r.stdout.contains("(line "), "\(r.stdout)")
    }

    @Test func warningsPassUnlessStrict() throws {
        let file = Self.path("invalid/image-without-annotations.json")
        #expect(try CLI.run(["validate", file]).code == 0)
        let strict = try CLI.run(["validate", "--strict", file])
        #expect(strict.code == 1)
        #expect(strict.stdout.contains("warning: image-without-annotations: images[2]"))
    }

    @Test func notJSONExitsTwoWithLineAndColumn() throws {
        let dir = CLI.tempDir("notjson")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        CLI.write("{\n  \"images\": [1, 2,,]\n}\n", to: dir + "/bad.json")
        let r = try CLI.run(["validate", dir + "/bad.json"])
        #expect(r.code == 2)
        #expect(r.stderr.contains("bad.json:2:19: "), "\(r.stderr)")
        let missing = try CLI.run(["validate", dir + "/absent.json"])
        #expect(missing.code == 2)
        #expect(missing.stderr.contains("absent.json"))
    }

    @Test func usageErrorsExitTwo() throws {
        #expect(try CLI.run(["validate"]).code == 2)
        #expect(try CLI.run(["validate", Self.path("valid/base.json"), "--images", "/nonexistent-dir"]).code == 2)
        #expect(try CLI.run(["validate", Self.path("valid/base.json"), "--bogus"]).code == 2)
    }

    @Test func datasetDirectoryChecksImageFiles() throws {
        #expect(try CLI.run(["validate", "--strict", Self.path("valid/dataset-dir")]).code == 0)
        let r = try CLI.run(["validate", Self.path("invalid/image-size-swapped")])
        #expect(r.code == 1)
        #expect(r.stdout.contains("image-size-swapped"))
        // --images names the root explicitly for a bare annotations file.
        let file = try CLI.run(["validate", Self.path("invalid/file-missing/annotations.json"),
                                "--images", Self.path("invalid/file-missing")])
        #expect(file.code == 1)
        #expect(file.stdout.contains("file-missing"))
    }

    @Test func jsonOutputIsOneObject() throws {
        let r = try CLI.run(["validate", "--json", Self.path("invalid/duplicate-id.json")])
        #expect(r.code == 1)
        let obj = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        #expect(obj["valid"] as? Bool == false)
        #expect(obj["errors"] as? Int == 1)
        let f = (obj["findings"] as! [[String: Any]])[0]
        #expect(f["code"] as? String == "duplicate-id")
        #expect(f["path"] as? String == "annotations[2].id")
        #expect(f["severity"] as? String == "error")
        #expect((f["line"] as? Int ?? 0) > 0)
    }

    @Test func listCodes() throws {
        let r = try CLI.run(["validate", "--list-codes"])
        #expect(r.code == 0)
        #expect(r.stdout.contains("annotation-id-zero") && r.stdout.contains("image-size-swapped"))
    }

    @Test func generatedDatasetValidates() throws {
        let out = CLI.tempDir("gen-validate")
        defer { try? FileManager.default.removeItem(atPath: out) }
        let cfg = out + ".yaml"
        CLI.write("image: {width: 96, height: 72}\nepisode: {frames: 4, render_every: 10}\n", to: cfg)
        defer { try? FileManager.default.removeItem(atPath: cfg) }
        let g = try CLI.run(["generate", "--config", cfg, "--frames", "6", "--seed", "11", "--out", out])
        try #require(g.code == 0, "\(g.stderr)")
        let r = try CLI.run(["validate", "--strict", out])
        #expect(r.code == 0, "\(r.stdout)")
    }

    /// A handful of corrupted files through the binary: never a crash, never exit 0 for broken JSON.
    @Test func corruptedFilesExitOneOrTwo() throws {
        let dir = CLI.tempDir("fuzz")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let original = try Data(contentsOf: URL(fileURLWithPath: Self.path("valid/base.json")))
        var bytes = [UInt8](original)
        while bytes.last == 0x0A || bytes.last == 0x20 { bytes.removeLast() }
        var mutants: [[UInt8]] = []
        for cut in [1, 17, 100, 333, bytes.count / 2, bytes.count - 1] { mutants.append(Array(bytes.prefix(cut))) }
        for (p, v) in [(0, UInt8(ascii: "[")), (40, 0xFF), (bytes.count / 3, UInt8(ascii: "}")), (bytes.count - 1, UInt8(ascii: "]"))] {
            var m = bytes
            m[p] = v
            mutants.append(m)
        }
        // A semantic corruption: the crowd's RLE counts no longer sum to h × w.
        mutants.append(Array(String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "33,", with: "34,").utf8))
        for (i, m) in mutants.enumerated() {
            let file = dir + "/m\(i).json"
            FileManager.default.createFile(atPath: file, contents: Data(m))
            let r = try CLI.run(["validate", file])
            #expect(r.code == 1 || r.code == 2, "mutant \(i): exit \(r.code)\n\(r.stdout)\(r.stderr)")
        }
    }
}
