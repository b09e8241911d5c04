#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Support
import YAMLInput

/// Bounds on what an untrusted submission may make the grader read. A file over its limit is refused
/// (the submission is malformed); YAML documents are bounded in nesting and in nodes after alias expansion.
public struct GradingLimits: Sendable, Equatable {
    /// `submission.yaml` and rubric files.
    public var yamlBytes = InputLimits.yamlBytes
    /// Training-log CSV files.
    public var csvBytes = 16 << 20
    /// Bench results and dataset manifests.
    public var smallJSONBytes = 64 << 20
    /// COCO ground truth and detection results.
    public var cocoBytes = 1 << 30
    /// Deepest YAML nesting (mappings and sequences).
    public var yamlDepth = InputLimits.yamlDepth
    /// YAML nodes visited, aliases expanded (a "billion laughs" document stops here).
    public var yamlNodes = InputLimits.yamlNodes
    /// Rows of one training log.
    public var logRows = 1_000_000
    /// Files of one dataset directory walked to measure its size.
    public var datasetFiles = 5_000_000

    public init() {}

    public static let standard = GradingLimits()

    /// The YAML front end's bounds for rubrics and submissions.
    public var yaml: YAMLLimits { YAMLLimits(bytes: yamlBytes, depth: yamlDepth, nodes: yamlNodes) }
}

/// Path resolution and bounded reads inside one submission directory.
struct SubmissionFiles {
    let root: String
    let manifestFile: String
    let limits: GradingLimits

    /// Resolves `relative` (as written in `submission.yaml` at `node`'s position) inside the submission and
    /// checks that it exists with the expected kind.
    func resolve(_ relative: String, field: String, mark: (Int, Int), directory: Bool = false) throws -> String {
        func fail(_ m: String) -> InputError {
            InputError(file: manifestFile, line: mark.0, column: mark.1, field: field, message: m)
        }
        if relative.isEmpty { throw fail("empty path") }
        let path: String
        do { path = try FileIO.contained(relative, in: root) }
        catch let e as FileIOError { throw fail("'\(relative)' escapes the submission directory (\(e.detail))") }
        var st = stat()
        guard stat(path, &st) == 0 else { throw fail("'\(relative)' does not exist") }
        let isDir = (st.st_mode & S_IFMT) == S_IFDIR
        if directory && !isDir { throw fail("'\(relative)' is not a directory") }
        if !directory && (st.st_mode & S_IFMT) != S_IFREG { throw fail("'\(relative)' is not a regular file") }
        return path
    }
}

/// Reads whole files after checking their size.
enum BoundedRead {
    static func size(_ path: String) -> Int? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return Int(st.st_size)
    }

    /// Throws when the file is larger than `limit` bytes (the message names `field`).
    static func check(_ path: String, limit: Int, what: String, field: String = "") throws {
        guard let n = size(path) else {
            throw InputError(file: path, field: field, message: "cannot read \(what)")
        }
        if n > limit {
            throw InputError(file: path, field: field,
                                    message: "\(what) is \(n) bytes, over the limit of \(limit) bytes; refused")
        }
    }

    static func bytes(_ path: String, limit: Int, what: String, field: String = "") throws -> [UInt8] {
        try check(path, limit: limit, what: what, field: field)
        do { return try FileIO.readAll(path) }
        catch { throw InputError(file: path, field: field, message: "cannot read \(what): \(error)") }
    }

    static func text(_ path: String, limit: Int, what: String, field: String = "") throws -> String {
        let b = try bytes(path, limit: limit, what: what, field: field)
        guard let s = String(validatingUTF8Bytes: b) else {
            throw InputError(file: path, field: field, message: "\(what) is not valid UTF-8")
        }
        return s
    }
}

extension String {
    init?(validatingUTF8Bytes bytes: [UInt8]) {
        guard let s = String(bytes: bytes, encoding: .utf8) else { return nil }
        self = s
    }
}
