#ifndef SB_PNGWRITE_H
#define SB_PNGWRITE_H
// PNG writing without libpng: rows filtered here, the zlib stream made by libdeflate at a level or by the
// built-in single-block coder (one Huffman table per image, literals plus runs at one fixed distance), chunks
// framed with libdeflate's CRC-32. Deterministic: the same pixels and settings give the same bytes on every
// machine. Reached from Swift only through Support/PNGWrite.swift.
#include <stddef.h>
#include <stdint.h>

/// PNG filter types (the same filter on every row).
enum { SB_PNG_FILTER_NONE = 0, SB_PNG_FILTER_SUB = 1, SB_PNG_FILTER_UP = 2 };
/// Makers of the zlib stream.
enum { SB_PNG_CODER_LIBDEFLATE = 0, SB_PNG_CODER_RUNS = 1 };

typedef struct sb_png_writer sb_png_writer;

/// A writer owns its buffers and compressors (one per thread); NULL when out of memory.
sb_png_writer *sb_png_writer_new(void);
void sb_png_writer_free(sb_png_writer *writer);

/// Encodes `pixels` (8-bit samples, or 16-bit samples in host byte order; `channels` 1 or 3) as one PNG.
/// coder LIBDEFLATE: `param` is libdeflate's level (1...12). coder RUNS: `param` is the run distance in bytes
/// (0: literals only; 1...4: runs repeating the bytes that far back, e.g. the previous pixel).
/// Returns 0 and points *out (valid until the next call on this writer) at *out_len bytes, or -1 with a message.
int sb_png_writer_encode(sb_png_writer *writer, const void *pixels, int width, int height, int channels,
                         int bit_depth, int filter, int coder, int param,
                         const uint8_t **out, size_t *out_len, char *message, size_t message_len);

/// The built-in coder alone: a zlib stream of `data` into `out` (capacity `capacity`, at least
/// sb_png_runs_bound(size)); returns its length. Exposed for tests and benchmarks.
size_t sb_png_runs_bound(size_t size);
size_t sb_png_runs_zlib(const uint8_t *data, size_t size, int distance, uint8_t *out, size_t capacity);
#endif
