import CPlatform
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Where a bench ran: enough to tell whether two results came from the same hardware and software.
public struct Machine: Codable, Equatable, Sendable {
    public var cpuModel: String
    /// Logical processors available to the process.
    public var cores: Int
    public var memoryBytes: Int
    public var arch: String
    public var os: String
    public var kernel: String
    public var hostname: String
    /// `swift --version`'s first line where a toolchain is installed, else "unknown".
    public var swiftVersion: String
    /// The compiler that built this binary.
    public var compiler: String
    public var libpng: String
    public var gsl: String
    public var ode: String

    enum CodingKeys: String, CodingKey {
        case cpuModel = "cpu_model", cores, memoryBytes = "memory_bytes", arch, os, kernel, hostname
        case swiftVersion = "swift_version", compiler, libpng, gsl, ode
    }

    public init(cpuModel: String, cores: Int, memoryBytes: Int, arch: String, os: String, kernel: String, hostname: String,
                swiftVersion: String, compiler: String, libpng: String, gsl: String, ode: String) {
        self.cpuModel = cpuModel; self.cores = cores; self.memoryBytes = memoryBytes; self.arch = arch; self.os = os
        self.kernel = kernel; self.hostname = hostname; self.swiftVersion = swiftVersion; self.compiler = compiler
        self.libpng = libpng; self.gsl = gsl; self.ode = ode
    }

    /// Hardware identity: the same CPU model, core count, architecture and memory (to 1 GiB). Results whose
    /// hardware differs are compared on hardware-independent ratios only.
    public func sameHardware(as other: Machine) -> Bool {
        cpuModel == other.cpuModel && cores == other.cores && arch == other.arch
            && abs(memoryBytes - other.memoryBytes) < 1 << 30
    }

    /// The software fields that differ from `other` (name: mine vs theirs).
    public func softwareDifferences(from other: Machine) -> [String] {
        let pairs: [(String, String, String)] = [("os", os, other.os), ("kernel", kernel, other.kernel),
                                                 ("swift_version", swiftVersion, other.swiftVersion),
                                                 ("compiler", compiler, other.compiler), ("libpng", libpng, other.libpng),
                                                 ("gsl", gsl, other.gsl), ("ode", ode, other.ode)]
        return pairs.filter { $0.1 != $0.2 }.map { "\($0.0): \($0.2) → \($0.1)" }
    }

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
                       libpng: libpngVersion(), gsl: gslVersion(), ode: pkgConfigVersion("ode") ?? "unknown")
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
    static var compilerVersion: String { "\(swiftCompiler), \(String(cString: platform_build_isa()))" }

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

    /// The version string the loaded libpng reports (`png_get_libpng_ver`), looked up in this process.
    static func libpngVersion() -> String {
        typealias VersionFunction = @convention(c) (UnsafeRawPointer?) -> UnsafePointer<CChar>?
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "png_get_libpng_ver") else {
            return pkgConfigVersion("libpng") ?? "unknown"
        }
        let f = unsafeBitCast(symbol, to: VersionFunction.self)
        return f(nil).map { String(cString: $0) } ?? "unknown"
    }

    /// GSL's `gsl_version` string of the loaded library.
    static func gslVersion() -> String {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "gsl_version") else {
            return pkgConfigVersion("gsl") ?? "unknown"
        }
        let p = symbol.assumingMemoryBound(to: UnsafePointer<CChar>?.self).pointee
        return p.map { String(cString: $0) } ?? "unknown"
    }

    static func pkgConfigVersion(_ package: String) -> String? {
        guard let out = runTool(["pkg-config", "--modversion", package]) else { return nil }
        let v = out.trimmingCharacters(in: .whitespacesAndNewlines)
        return v.isEmpty ? nil : v
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
    /// `git rev-parse HEAD` and whether tracked files were modified, or nil outside a repository.
    static func current(directory: String = FileManager.default.currentDirectoryPath) -> (commit: String, dirty: Bool)? {
        guard let head = Machine.runTool(["git", "rev-parse", "HEAD"], directory: directory)?
            .trimmingCharacters(in: .whitespacesAndNewlines), head.count >= 7 else { return nil }
        let status = Machine.runTool(["git", "status", "--porcelain", "--untracked-files=no"], directory: directory) ?? ""
        return (head, !status.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
    }
}
