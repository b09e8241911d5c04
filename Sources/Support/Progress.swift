import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A one-line progress bar on stderr, drawn only when stderr is a terminal (quiet in CI and pipes).
public final class ProgressBar {
    let total: Int
    let label: String
    let enabled: Bool
    let start = Date()
    var last = Date.distantPast

    public init(total: Int, label: String, enabled: Bool = true) {
        self.total = max(total, 1); self.label = label
        self.enabled = enabled && isatty(2) == 1 && ProcessInfo.processInfo.environment["CI"] == nil
    }

    public func update(_ done: Int) {
        guard enabled else { return }
        let now = Date()
        if done < total && now.timeIntervalSince(last) < 0.2 { return }
        last = now
        let width = 30
        let filled = min(width, done * width / total)
        let rate = Double(done) / max(now.timeIntervalSince(start), 1e-9)
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        let line = String(format: "\r%@ [%@] %d/%d %.1f/s ", label, bar, done, total, rate)
        FileHandle.standardError.write(Data(line.utf8))
    }

    public func finish() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\n".utf8))
    }
}

/// Peak resident set size of this process in bytes (VmHWM), or 0 where /proc is unavailable.
public func peakResidentBytes() -> Int {
    guard let s = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
    for line in s.split(separator: "\n") where line.hasPrefix("VmHWM:") {
        let kb = line.split(separator: " ").compactMap { Int($0) }.first ?? 0
        return kb * 1024
    }
    return 0
}
