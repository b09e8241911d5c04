import Foundation

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
}
