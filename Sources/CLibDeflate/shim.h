#ifndef SYNTHBENCH_CLIBDEFLATE_SHIM_H
#define SYNTHBENCH_CLIBDEFLATE_SHIM_H
// libdeflate (whole-buffer DEFLATE/zlib compression, CRC-32, Adler-32). Reached from Swift only through
// Support/LibDeflate.swift; the PNG writer (CPNGWrite) calls it from C.
#include <libdeflate.h>
#endif
