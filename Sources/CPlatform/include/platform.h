// Every function here is prefixed sb_; Swift reaches them only through Sources/Support/Platform.swift.
#ifndef SYNTHBENCH_PLATFORM_H
#define SYNTHBENCH_PLATFORM_H

/// 1 when this CPU and OS run x86-64-v3 code (AVX, AVX2, FMA, BMI1/2, F16C, MOVBE, LZCNT with YMM state saved).
int sb_has_x86_64_v3(void);

/// The instruction set the Swift modules of this build target: "x86-64-v3" or "baseline". A build for
/// x86-64-v3 stops at start-up (exit 2, with a message) on a CPU without it.
const char *sb_build_isa(void);

/// Keeps freed memory in the process (glibc: trim threshold 256 MB, top pad 16 MB, mmap threshold 32 MB): every
/// PNG encode allocates and frees its zlib state (about 270 KB), which glibc would otherwise hand back to the
/// kernel and fault in again, with TLB shootdowns across threads. No effect elsewhere.
void sb_keep_freed_memory(void);

/// Marks directory `path` as a top of a directory hierarchy (ext4's "T" attribute, FS_TOPDIR_FL) so the
/// filesystem spreads the subdirectories made in it over block groups. Best effort: returns 0 when set, -1
/// where the filesystem or OS has no such attribute (nothing changes then).
int sb_mark_top_directory(const char *path);

#endif
