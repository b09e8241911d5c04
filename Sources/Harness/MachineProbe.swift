import BenchFormat
import Foundation
import Physics
import Stats
import Support
#if canImport(Glibc)
import Glibc
#endif

extension Machine {
    /// This machine, now.
    public static func current() -> Machine {
        var uts = utsname()
        uname(&uts)
        func field<T>(_ value: T) -> String {
            withUnsafeBytes(of: value) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
        }
        let kernel = field(uts.sysname) + " " + field(uts.release)
        return Machine(cpuModel: cpuModelName(), cores: ProcessInfo.processInfo.activeProcessorCount,
                       memoryBytes: Int(ProcessInfo.processInfo.physicalMemory), arch: field(uts.machine),
                       os: osName(), kernel: kernel, hostname: field(uts.nodename),
                       swiftVersion: swiftToolchainVersion(), compiler: compilerVersion,
                       libpng: PNG.libraryVersion, gsl: Stats.gslVersion, ode: ODELibrary.version)
    }

    static func cpuModelName() -> String {
        if let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) {
            for line in text.split(separator: "\n") {
                let parts = line.split(separator: ":", maxSplits: 1)
                guard parts.count == 2 else { continue }
                let key = parts[0].trimmingCharacters(in: .whitespaces)
                if key == "model name" || key == "Model" || key == "cpu model" {
                    return parts[1].trimmingCharacters(in: .whitespaces)
                }
            }
        }
        return "unknown"
    }

    static func osName() -> String {
        if let text = try? String(contentsOfFile: "/etc/os-release", encoding: .utf8) {
            for line in text.split(separator: "\n") where line.hasPrefix("PRETTY_NAME=") {
                return line.dropFirst("PRETTY_NAME=".count).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            }
        }
        return ProcessInfo.processInfo.operatingSystemVersionString
    }

    /// The compiler that built this binary and the instruction set it targets.
    static var compilerVersion: String { "\(swiftCompiler), \(Platform.buildISA)" }

    static var swiftCompiler: String {
        #if compiler(>=6.4)
        return "Swift 6.4 or later"
        #elseif compiler(>=6.3)
        return "Swift 6.3"
        #elseif compiler(>=6.2)
        return "Swift 6.2"
        #elseif compiler(>=6.1)
        return "Swift 6.1"
        #elseif compiler(>=6.0)
        return "Swift 6.0"
        #else
        return "Swift 5"
        #endif
    }

    static func swiftToolchainVersion() -> String {
        guard let out = runTool(["swift", "--version"]),
              let line = out.split(separator: "\n").first(where: { $0.contains("Swift version") }) else { return "unknown" }
        return line.trimmingCharacters(in: .whitespaces)
    }

    /// Runs a tool found on PATH and returns its stdout, or nil when it is absent or fails.
    static func runTool(_ args: [String], directory: String? = nil) -> String? {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = args
        if let directory { p.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle(forWritingAtPath: "/dev/null")
        do { try p.run() } catch { return nil }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationReason == .exit, p.terminationStatus == 0 else { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}

/// The source tree a bench ran from.
enum SourceRevision {
    /// The commit a portable bundle was built from (its `synthbench` script sets SYNTHBENCH_SOURCE_COMMIT and
    /// SYNTHBENCH_SOURCE_DIRTY), else `git rev-parse HEAD` and whether tracked files were modified, else nil.
    static func current(directory: String = FileManager.default.currentDirectoryPath,
                        environment: [String: String] = ProcessInfo.processInfo.environment) -> (commit: String, dirty: Bool)? {
        if let bundled = environment["SYNTHBENCH_SOURCE_COMMIT"], bundled.count >= 7,
           bundled.allSatisfy({ $0.isHexDigit }) {
            return (bundled, environment["SYNTHBENCH_SOURCE_DIRTY"] == "true")
        }
        guard let head = Machine.runTool(["git", "rev-parse", "HEAD"], directory: directory)?
            .trimmingCharacters(in: .whitespacesAndNewlines), head.count >= 7 else { return nil }
        let status = Machine.runTool(["git", "status", "--porcelain", "--untracked-files=no"], directory: directory) ?? ""
        return (head, !status.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
    }
}
