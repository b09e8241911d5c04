import Foundation
import Testing
import Randomization

/// Writes a log-only `full` dataset for scripts/bench-audit.sh: runs only when SYNTHBENCH_AUDIT_BENCH_DIR is
/// set (frames from SYNTHBENCH_AUDIT_BENCH_FRAMES, default 100,000).
@Suite struct AuditBenchFixture {
    static let environment = ProcessInfo.processInfo.environment

    @Test(.enabled(if: environment["SYNTHBENCH_AUDIT_BENCH_DIR"] != nil))
    func writeBenchDataset() throws {
        let dir = Self.environment["SYNTHBENCH_AUDIT_BENCH_DIR"]!
        let frames = Int(Self.environment["SYNTHBENCH_AUDIT_BENCH_FRAMES"] ?? "") ?? 100_000
        let seed = UInt64(Self.environment["SYNTHBENCH_AUDIT_BENCH_SEED"] ?? "") ?? 1
        try AuditFixture.logOnly(frames: frames, seed: seed, into: dir)
    }
}
