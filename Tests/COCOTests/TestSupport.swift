import Foundation
import Testing
@testable import COCO

/// Paths and helpers shared by the COCO tests.
enum Paths {
    /// The repository root (two levels above this file's folder).
    static let repo: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let fixtures = repo.appendingPathComponent("fixtures/coco")
    static let evalCases = fixtures.appendingPathComponent("eval")
    static let invalid = fixtures.appendingPathComponent("invalid")
    static let valid = fixtures.appendingPathComponent("valid")
    /// Third-party files, read in place beside the repository (absent in some checkouts).
    static let thirdParty = repo.deletingLastPathComponent().appendingPathComponent("shared/coco-thirdparty")
    static var hasThirdParty: Bool { FileManager.default.fileExists(atPath: thirdParty.appendingPathComponent("SOURCES.md").path) }
}

/// Seeds of randomized tests: `$SYNTHBENCH_TEST_SEED` when set (to replay a failure), else a fresh one; printed
/// either way so that every run can be reproduced.
enum TestSeed {
    static func make(_ test: String) -> UInt64 {
        let env = ProcessInfo.processInfo.environment["SYNTHBENCH_TEST_SEED"].flatMap { UInt64($0) }
        let seed = env ?? UInt64.random(in: 1...UInt64(UInt32.max))
        print("\(test): seed \(seed) (replay with SYNTHBENCH_TEST_SEED=\(seed))")
        return seed
    }
}

enum Python {
    /// `$SYNTHBENCH_PYTHON`, else `python3`.
    static var executable: String { ProcessInfo.processInfo.environment["SYNTHBENCH_PYTHON"] ?? "python3" }

    @discardableResult
    static func run(_ args: [String]) -> (status: Int32, output: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = [executable] + args
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        do { try p.run() } catch { return (-1, "\(error)") }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// True when pycocotools imports.
    static let hasPycocotools: Bool = run(["-c", "import pycocotools, numpy"]).status == 0
}

/// Reads a whole (small) JSON file with the project's reader: exact doubles, unlike JSONSerialization on Linux.
func readJSON(_ url: URL) throws -> JSONValue {
    let r = try JSONReader(path: url.path)
    let v = try r.readValue()
    try r.finish()
    return v
}

extension JSONValue {
    var int: Int { Int(number!.integer!) }
    var doubles: [Double] { array!.map { $0.double! } }
    var strings: [String] { array!.map { $0.string! } }
    var list: [JSONValue] { array! }
}

func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }
