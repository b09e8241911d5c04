import Foundation
@testable import Grading
import Support
import Testing
import TestSupport

/// fixtures/submissions/: the text files of every variant (datasets are listed in datasets.tsv and generated
/// by whoever grades them). `SYNTHBENCH_WRITE_FIXTURES=1 swift test --filter CommittedFixtureTests` rewrites
/// them from the builder; otherwise the committed copies are checked for completeness and graded.
@Suite(.tags(.slow)) struct CommittedFixtureTests {
    static let writing = ProcessInfo.processInfo.environment["SYNTHBENCH_WRITE_FIXTURES"] == "1"

    @Test(.enabled(if: writing)) func write() throws {
        for name in Fixtures.committedNames {
            let dir = Fixtures.committed + "/" + name
            try? FileManager.default.removeItem(atPath: dir)
            try Fixtures.write(Fixtures.files(Fixtures.variant(name)), to: dir)
        }
    }

    @Test(.enabled(if: !writing), arguments: Fixtures.committedNames)
    func committedVariantIsComplete(_ name: String) throws {
        let dir = Fixtures.committed + "/" + name
        let expected = Set(Fixtures.files(Fixtures.variant(name)).keys)
        var present = Set<String>()
        let e = FileManager.default.enumerator(atPath: dir)!
        while let rel = e.nextObject() as? String {
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: dir + "/" + rel, isDirectory: &isDir), !isDir.boolValue { present.insert(rel) }
        }
        #expect(present == expected)
    }

    /// The committed pass fixture, with its datasets generated from datasets.tsv, passes.
    @Test(.enabled(if: !writing)) func committedPassGrades() throws {
        let dir = Fixtures.tempDir("committed")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.removeItem(atPath: dir)
        try FileManager.default.copyItem(atPath: Fixtures.committed + "/pass", toPath: dir)
        let tsv = try String(contentsOfFile: dir + "/datasets.tsv", encoding: .utf8)
        for line in tsv.split(separator: "\n") where !line.hasPrefix("#") {
            let f = line.split(separator: "\t").map(String.init)
            let spec = Fixtures.DatasetSpec(path: f[0], preset: String(f[1].dropFirst("configs/".count).prefix { $0 != "-" }),
                                            frames: Int(f[2])!, envs: Int(f[3])!, seed: UInt64(f[4])!)
            #expect(spec.configFile == f[1])
            try Fixtures.copyDataset(try Fixtures.generated(spec), to: dir + "/" + spec.path)
        }
        let g = Fixtures.grade(dir)
        #expect(g.exitCode == 0, "\(GradeReport.markdown(g))")
    }
}
