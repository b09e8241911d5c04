import Benchmark
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

extension BenchmarkMetric {
    /// CPU time of the benchmark's thread in nanoseconds. Unlike the wall clock it does not count time the thread
    /// spends waiting for a core, so it stays usable on a machine shared with other work (the package's own CPU
    /// metrics count scheduler ticks of 10 ms, too coarse for these benchmarks).
    static let threadCPU = BenchmarkMetric.custom("threadCPU", polarity: .prefersSmaller, useScalingFactor: false)
}

/// Nanoseconds of CPU time the calling thread has used.
func threadCPUNanoseconds() -> Int {
    var t = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
    return t.tv_sec * 1_000_000_000 + t.tv_nsec
}

extension Benchmark {
    /// Runs `work` as this iteration's measured part: the wall clock and allocation counters start here (work done
    /// before the call is set-up), and the thread's CPU time for `work` is recorded as `threadCPU`.
    func measure<T>(_ work: () throws -> T) rethrows -> T {
        startMeasurement()
        let c0 = threadCPUNanoseconds()
        let result = try work()
        measurement(.threadCPU, threadCPUNanoseconds() - c0)
        stopMeasurement()
        return result
    }
}
