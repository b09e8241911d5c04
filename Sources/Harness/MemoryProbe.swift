import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Peak memory of one command, run as a child process: `wait4`'s `ru_maxrss` (KiB on Linux) of that child
/// alone, so the measuring process's own heap never enters the figure.
public enum MemoryProbe {
    public struct ChildFailure: Error, CustomStringConvertible, Equatable {
        public let what: String
        /// Exit status, or nil when a signal ended the child.
        public let status: Int32?
        public let signal: Int32?
        /// The last lines the child wrote to stderr.
        public let stderrTail: String

        public var description: String {
            let how: String
            if let signal {
                let name = strsignal(signal).map { String(cString: $0) } ?? "signal"
                how = "was killed by signal \(signal) (\(name))"
            } else {
                how = "exited with status \(status ?? -1)"
            }
            return "\(what) \(how)" + (stderrTail.isEmpty ? "" : ": \(stderrTail)")
        }
    }

    /// Runs `executable` with `arguments` (stdin and stdout on /dev/null, stderr to `log`) and returns its peak
    /// resident set size in bytes. Throws `ChildFailure` unless it exits with status 0.
    public static func peakRSS(executable: String, arguments: [String], log: String, what: String) throws -> Int {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, log, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        if rc != 0 {
            throw ChildFailure(what: what, status: 127, signal: nil,
                               stderrTail: "cannot start \(executable): \(String(cString: strerror(rc)))")
        }
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 {
            if errno != EINTR {
                throw ChildFailure(what: what, status: nil, signal: nil, stderrTail: "wait4: \(String(cString: strerror(errno)))")
            }
        }
        let termination = status & 0x7f
        if termination == 0 {
            let code = (status >> 8) & 0xff
            if code == 0 { return Int(usage.ru_maxrss) * 1024 }
            throw ChildFailure(what: what, status: code, signal: nil, stderrTail: tail(of: log))
        }
        throw ChildFailure(what: what, status: nil, signal: termination, stderrTail: tail(of: log))
    }

    /// The last non-empty lines of a log file (at most 3, 600 characters).
    static func tail(of path: String) -> String {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return "" }
        let lines = text.split(whereSeparator: { $0 == "\n" || $0 == "\r" })
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return String(lines.suffix(3).joined(separator: " | ").suffix(600))
    }
}
