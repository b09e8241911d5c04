// Process set-up: the allocator's settings, and CPU feature checks for builds whose Swift modules target x86-64-v3 (Package.swift decides, from the build
// machine's CPU, unless SYNTHBENCH_PORTABLE is set).
#include "platform.h"
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>
#if defined(__linux__)
#include <linux/fs.h>
#include <sys/ioctl.h>
#endif

int sb_mark_top_directory(const char *path) {
#if defined(__linux__) && defined(FS_IOC_GETFLAGS) && defined(FS_TOPDIR_FL)
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return -1;
    int flags = 0, ok = -1;
    if (ioctl(fd, FS_IOC_GETFLAGS, &flags) == 0) {
        flags |= FS_TOPDIR_FL;
        if (ioctl(fd, FS_IOC_SETFLAGS, &flags) == 0) ok = 0;
    }
    close(fd);
    return ok;
#else
    (void)path;
    return -1;
#endif
}
#if defined(__GLIBC__)
#include <malloc.h>
#endif

void sb_keep_freed_memory(void) {
#if defined(__GLIBC__)
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
    mallopt(M_TOP_PAD, 16 << 20);
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
#endif
}

#if defined(__x86_64__)
#include <cpuid.h>

int sb_has_x86_64_v3(void) {
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
    const unsigned fma = 1u << 12, movbe = 1u << 22, osxsave = 1u << 27, avx = 1u << 28, f16c = 1u << 29;
    if ((c & (fma | movbe | osxsave | avx | f16c)) != (fma | movbe | osxsave | avx | f16c)) return 0;
    unsigned lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    if ((lo & 6) != 6) return 0;                       // XMM and YMM state enabled by the OS
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return 0;
    const unsigned bmi1 = 1u << 3, avx2 = 1u << 5, bmi2 = 1u << 8;
    if ((b & (bmi1 | avx2 | bmi2)) != (bmi1 | avx2 | bmi2)) return 0;
    if (!__get_cpuid(0x80000001, &a, &b, &c, &d)) return 0;
    return (c & (1u << 5)) != 0;                       // LZCNT
}
#else
int sb_has_x86_64_v3(void) { return 0; }
#endif

#ifdef SYNTHBENCH_X86_64_V3
const char *sb_build_isa(void) { return "x86-64-v3"; }

__attribute__((constructor)) static void sb_check_x86_64_v3(void) {
    if (!sb_has_x86_64_v3()) {
        fputs("synthbench: this build targets x86-64-v3 (AVX2, FMA), which this CPU lacks; rebuild with\n"
              "  SYNTHBENCH_PORTABLE=1 swift build -c release\n", stderr);
        _exit(2);
    }
}
#else
const char *sb_build_isa(void) { return "baseline"; }
#endif
