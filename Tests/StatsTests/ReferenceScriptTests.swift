import Foundation
import Testing
import TestSupport

/// True when `python3 -c "import scipy"` succeeds. CI without scipy skips the regeneration test.
enum PythonEnvironment {
    static let hasScipy: Bool = {
        guard let (status, _) = try? run(["python3", "-c", "import scipy, numpy"]) else { return false }
        return status == 0
    }()

    static func run(_ arguments: [String]) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let data = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

/// Compares two decoded JSON values: same structure and keys, equal strings/booleans, numbers
/// within 1e-12 relative (identical on the machine that produced the fixture; the slack only
/// absorbs last-bit libm differences between platforms).
func jsonDifferences(_ a: Any, _ b: Any, path: String, into out: inout [String]) {
    if out.count > 20 { return }
    switch (a, b) {
    case let (x as [String: Any], y as [String: Any]):
        if Set(x.keys) != Set(y.keys) { out.append("\(path): keys \(x.keys.sorted()) vs \(y.keys.sorted())"); return }
        for key in x.keys.sorted() { jsonDifferences(x[key]!, y[key]!, path: "\(path).\(key)", into: &out) }
    case let (x as [Any], y as [Any]):
        if x.count != y.count { out.append("\(path): length \(x.count) vs \(y.count)"); return }
        for i in x.indices { jsonDifferences(x[i], y[i], path: "\(path)[\(i)]", into: &out) }
    case let (x as String, y as String):
        if x != y && !path.hasSuffix("meta.scipy") && !path.hasSuffix("meta.numpy") {
            out.append("\(path): \(x) vs \(y)")
        }
    case let (x as NSNumber, y as NSNumber):
        let u = x.doubleValue, v = y.doubleValue
        if u != v && abs(u - v) > 1e-12 * max(abs(u), abs(v)) { out.append("\(path): \(u) vs \(v)") }
    case (is NSNull, is NSNull):
        break
    default:
        out.append("\(path): \(type(of: a)) vs \(type(of: b))")
    }
}

@Suite("Reference fixture", .tags(.slow))
struct ReferenceScriptTests {
    @Test("committed reference.json loads and covers every section")
    func fixtureLoads() {
        let r = Reference.shared
        #expect(!r.ks1.isEmpty && !r.ks2.isEmpty && !r.ksDistribution.isEmpty && !r.kolmogorovLimit.isEmpty)
        #expect(!r.andersonDarling.isEmpty && !r.adCdf.isEmpty && !r.adMonteCarlo.isEmpty)
        #expect(!r.cramerVonMises.isEmpty && !r.cvmCdf.isEmpty && !r.chisquare.isEmpty && !r.discrete.isEmpty)
        #expect(!r.spearman.isEmpty && !r.mannWhitney.isEmpty && !r.welch.isEmpty && !r.twoProportion.isEmpty)
        #expect(!r.wilson.isEmpty && !r.bootstrap.isEmpty && !r.holm.isEmpty)
    }

    @Test("make_reference.py regenerates the committed reference.json",
          .enabled(if: PythonEnvironment.hasScipy, "needs python3 with scipy"),
          .timeLimit(.minutes(5)))
    func regenerate() throws {
        let output = FileManager.default.temporaryDirectory
            .appendingPathComponent("synthbench-stats-reference-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: output) }
        let (status, log) = try PythonEnvironment.run(["python3", FixturePaths.script.path, "--output", output.path])
        try #require(status == 0, "make_reference.py failed: \(log)")
        let fresh = try JSONSerialization.jsonObject(with: Data(contentsOf: output))
        let committed = try JSONSerialization.jsonObject(with: Data(contentsOf: FixturePaths.reference))
        var differences: [String] = []
        jsonDifferences(fresh, committed, path: "$", into: &differences)
        #expect(differences.isEmpty, "fresh output differs from the committed fixture:\n\(differences.joined(separator: "\n"))")
    }
}
