#ifndef CSHA256_H
#define CSHA256_H
#include <stddef.h>
#include <stdint.h>

/// Compresses `blocks` 64-byte blocks into the SHA-256 state (a, b, ..., h) with the x86 SHA extensions.
/// Returns 1 when done, 0 when this CPU has no SHA extensions (the state is then untouched and the caller
/// falls back to its portable implementation).
int csha256_blocks(uint32_t state[8], const uint8_t *data, size_t blocks);

#endif
