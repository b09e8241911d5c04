import CPlatform

/// The process and CPU facts of CPlatform. This file is the only Swift code that calls it.
public enum Platform {
    /// Keeps freed memory in the process (glibc: trim threshold 256 MB, top pad 16 MB, mmap threshold 32 MB), so
    /// that every PNG encode's zlib state is not handed back to the kernel and faulted in again. Call once, at
    /// start-up. No effect without glibc.
    public static func keepFreedMemory() { sb_keep_freed_memory() }

    /// Whether this CPU and OS run x86-64-v3 code (AVX, AVX2, FMA, BMI1/2, F16C, MOVBE, LZCNT, YMM state saved).
    public static var hasX86_64_v3: Bool { sb_has_x86_64_v3() != 0 }

    /// The instruction set this build's Swift modules target: "x86-64-v3" or "baseline".
    public static var buildISA: String { String(cString: sb_build_isa()) }

    /// Marks directory `path` as the top of a directory hierarchy (ext4's "T" attribute) so the filesystem spreads
    /// its subdirectories over block groups. Best effort: false where the filesystem or OS has no such attribute.
    @discardableResult
    public static func markTopDirectory(_ path: String) -> Bool { sb_mark_top_directory(path) == 0 }
}
