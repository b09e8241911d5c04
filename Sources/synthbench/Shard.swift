import ArgumentParser

/// `--shard`: `i/n` (1-based), or `auto`, resolved from the scheduler's environment.
enum ShardArgument: ExpressibleByArgument, Equatable, CustomStringConvertible {
    case fixed(index: Int, count: Int)
    case auto

    init?(argument: String) {
        if argument == "auto" { self = .auto; return }
        let parts = argument.split(separator: "/")
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]), n >= 1, i >= 1, i <= n else { return nil }
        self = .fixed(index: i, count: n)
    }

    var description: String {
        switch self {
        case let .fixed(i, n): return "\(i)/\(n)"
        case .auto: return "auto"
        }
    }

    /// `--shard i/n`, or `--shard auto`: the shard from the scheduler's environment. Slurm job arrays submitted with
    /// `--array=1-N` set SLURM_ARRAY_TASK_ID (1...N) and SLURM_ARRAY_TASK_COUNT (N); a Kubernetes Indexed Job sets
    /// JOB_COMPLETION_INDEX (0...N-1) and the count comes from `--shard-count` or SYNTHBENCH_SHARD_COUNT.
    /// Empty variables count as unset. Where both schedulers' variables are set they must name the same shard.
    func resolve(count flag: Int?, environment env: [String: String]) throws -> (index: Int, count: Int) {
        if case let .fixed(index, count) = self {
            if flag != nil { throw ValidationError("--shard-count: only with --shard auto (got --shard \(self))") }
            return (index, count)
        }
        func value(_ name: String) -> String? {
            guard let v = env[name]?.trimmingCharacters(in: .whitespaces), !v.isEmpty else { return nil }
            return v
        }
        func integer(_ name: String) throws -> Int? {
            guard let v = value(name) else { return nil }
            guard let n = Int(v) else { throw ValidationError("--shard auto: \(name)='\(v)' is not an integer") }
            return n
        }
        var candidates: [(index: Int, count: Int, source: String)] = []
        if let id = try integer("SLURM_ARRAY_TASK_ID") {
            guard let n = try integer("SLURM_ARRAY_TASK_COUNT") else {
                throw ValidationError("--shard auto: SLURM_ARRAY_TASK_ID is set but SLURM_ARRAY_TASK_COUNT is not")
            }
            if let lo = try integer("SLURM_ARRAY_TASK_MIN"), lo != 1 {
                throw ValidationError("--shard auto: SLURM_ARRAY_TASK_MIN=\(lo); submit the array as --array=1-N (1-based shards)")
            }
            if let hi = try integer("SLURM_ARRAY_TASK_MAX"), hi != n {
                throw ValidationError("--shard auto: SLURM_ARRAY_TASK_MAX=\(hi) differs from SLURM_ARRAY_TASK_COUNT=\(n); submit the array as --array=1-N")
            }
            guard n >= 1, id >= 1, id <= n else {
                throw ValidationError("--shard auto: SLURM_ARRAY_TASK_ID=\(id) is outside 1...SLURM_ARRAY_TASK_COUNT=\(n)")
            }
            if let flag, flag != n {
                throw ValidationError("--shard-count \(flag) disagrees with SLURM_ARRAY_TASK_COUNT=\(n)")
            }
            if let c = try integer("SYNTHBENCH_SHARD_COUNT"), c != n {
                throw ValidationError("--shard auto: SYNTHBENCH_SHARD_COUNT=\(c) disagrees with SLURM_ARRAY_TASK_COUNT=\(n)")
            }
            candidates.append((id, n, "SLURM_ARRAY_TASK_ID=\(id)/SLURM_ARRAY_TASK_COUNT=\(n)"))
        } else if value("SLURM_ARRAY_TASK_COUNT") != nil {
            throw ValidationError("--shard auto: SLURM_ARRAY_TASK_COUNT is set but SLURM_ARRAY_TASK_ID is not")
        }
        if let k = try integer("JOB_COMPLETION_INDEX") {
            let fromEnv = try integer("SYNTHBENCH_SHARD_COUNT")
            if let flag, let fromEnv, flag != fromEnv {
                throw ValidationError("--shard-count \(flag) disagrees with SYNTHBENCH_SHARD_COUNT=\(fromEnv)")
            }
            guard let n = flag ?? fromEnv else {
                throw ValidationError("--shard auto: JOB_COMPLETION_INDEX is set; give the shard count with --shard-count or SYNTHBENCH_SHARD_COUNT")
            }
            guard n >= 1, k >= 0, k < n else {
                throw ValidationError("--shard auto: JOB_COMPLETION_INDEX=\(k) is outside 0...\(n - 1) (shard count \(n))")
            }
            candidates.append((k + 1, n, "JOB_COMPLETION_INDEX=\(k) (shard \(k + 1)/\(n))"))
        }
        guard let first = candidates.first else {
            throw ValidationError("--shard auto: neither SLURM_ARRAY_TASK_ID (Slurm job array) nor JOB_COMPLETION_INDEX (Kubernetes Indexed Job) is set")
        }
        if let other = candidates.dropFirst().first, other.index != first.index || other.count != first.count {
            throw ValidationError("--shard auto: \(first.source) and \(other.source) disagree")
        }
        return (first.index, first.count)
    }
}
