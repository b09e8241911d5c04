import Foundation

/// Runs the built `synthbench` binary (the one beside this test bundle, or `$SYNTHBENCH_BIN`).
enum CLI {
    struct Result { var code: Int32; var stdout: String; var stderr: String }

    static var binary: String {
        if let b = ProcessInfo.processInfo.environment["SYNTHBENCH_BIN"] { return b }
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var dir = URL(fileURLWithPath: exe).deletingLastPathComponent()
        // Inside an .xctest bundle directory on some platforms: walk up to the products directory.
        while !FileManager.default.fileExists(atPath: dir.appendingPathComponent("synthbench").path) && dir.path != "/" {
            dir = dir.deletingLastPathComponent()
        }
        return dir.appendingPathComponent("synthbench").path
    }

    /// With `shell`, runs `bash -c shell` with the command as its positional parameters ("$@").
    @discardableResult
    static func run(_ args: [String], environment: [String: String] = [:], shell: String? = nil) throws -> Result {
        let p = Process()
        if let shell {
            p.executableURL = URL(fileURLWithPath: "/bin/bash")
            p.arguments = ["-c", shell, "bash", binary] + args
        } else {
            p.executableURL = URL(fileURLWithPath: binary)
            p.arguments = args
        }
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        p.environment = env
        let out = Pipe(), err = Pipe()
        p.standardOutput = out; p.standardError = err
        try p.run()
        // Both pipes are drained at once: reading one to its end first deadlocks once the child fills the other's
        // pipe buffer (64 KiB).
        let e = Drain(err.fileHandleForReading)
        let o = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Result(code: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e.wait(), as: UTF8.self))
    }

    static func tempDir(_ tag: String) -> String {
        NSTemporaryDirectory() + "synthbench-cli-\(tag)-\(UUID().uuidString.prefix(8))"
    }

    static func write(_ text: String, to path: String) {
        FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
    }

    /// Every file under `dir` (relative path → SHA-256 via sha256sum), except the manifest.
    static func digests(_ dir: String) throws -> [String: String] {
        let r = try run([], shell: "cd '\(dir)' && find . -type f ! -name manifest.json -print0 | sort -z | xargs -0 sha256sum")
        var out: [String: String] = [:]
        for line in r.stdout.split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 1)
            out[String(parts[1].trimmingCharacters(in: .whitespaces))] = String(parts[0])
        }
        return out
    }
}

/// Reads a file handle to its end on a thread of its own.
final class Drain: @unchecked Sendable {
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        Thread.detachNewThread { [self] in
            data = handle.readDataToEndOfFile()
            done.signal()
        }
    }

    func wait() -> Data {
        done.wait()
        return data
    }
}
