#ifndef CSHA256_H
#define CSHA256_H
#include <stddef.h>
#include <stdint.h>

/// Compresses `blocks` 64-byte blocks into the SHA-256 state (a, b, ..., h): with the x86 SHA extensions when
/// `allow_hardware` is set and the CPU has them (returns 1), else in portable C (returns 0).
int csha256_blocks(uint32_t state[8], const uint8_t *data, size_t blocks, int allow_hardware);

#endif
