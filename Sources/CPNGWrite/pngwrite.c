// PNG framing and row filtering for the writers that do not go through libpng.
#include "pngwrite.h"
#include <libdeflate.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct sb_png_writer {
    uint8_t *filtered;            // filter byte + filtered row, for every row
    size_t filtered_cap;
    uint8_t *rows;                // two big-endian rows (16-bit input)
    size_t rows_cap;
    uint8_t *out;                 // the PNG
    size_t out_cap;
    struct libdeflate_compressor *level[13];
};

sb_png_writer *sb_png_writer_new(void) { return calloc(1, sizeof(sb_png_writer)); }

void sb_png_writer_free(sb_png_writer *w) {
    if (!w) return;
    for (int i = 0; i < 13; i++) if (w->level[i]) libdeflate_free_compressor(w->level[i]);
    free(w->filtered); free(w->rows); free(w->out); free(w);
}

static int grow(uint8_t **buf, size_t *cap, size_t need) {
    if (*cap >= need) return 1;
    uint8_t *p = realloc(*buf, need);
    if (!p) return 0;
    *buf = p; *cap = need;
    return 1;
}

static inline void be32(uint8_t *p, uint32_t v) { p[0] = (uint8_t)(v >> 24); p[1] = (uint8_t)(v >> 16); p[2] = (uint8_t)(v >> 8); p[3] = (uint8_t)v; }

// Filters every row into w->filtered; 16-bit samples become big-endian first.
static void filter_rows(sb_png_writer *w, const uint8_t *px, size_t stride, int height, int bpp, int wide, int filter) {
    uint8_t *o = w->filtered;
    uint8_t *cur = w->rows, *prev = w->rows + stride;
    const uint8_t *last = NULL;
    const uint16_t one = 1;
    const int swap = wide && *(const uint8_t *)&one == 1;
    for (int y = 0; y < height; y++) {
        const uint8_t *row = px + (size_t)y * stride;
        if (swap) {
            const uint16_t *s = (const uint16_t *)(const void *)row;
            uint16_t *d = (uint16_t *)(void *)cur;
            for (size_t k = 0; k < stride / 2; k++) d[k] = __builtin_bswap16(s[k]);
            row = cur;
        }
        *o++ = (uint8_t)filter;
        if (filter == SB_PNG_FILTER_NONE) {
            memcpy(o, row, stride);
        } else if (filter == SB_PNG_FILTER_SUB) {
            size_t b = (size_t)bpp < stride ? (size_t)bpp : stride;
            for (size_t k = 0; k < b; k++) o[k] = row[k];
            for (size_t k = b; k < stride; k++) o[k] = (uint8_t)(row[k] - row[k - bpp]);
        } else {
            if (last) for (size_t k = 0; k < stride; k++) o[k] = (uint8_t)(row[k] - last[k]);
            else memcpy(o, row, stride);
        }
        o += stride;
        if (swap) { last = cur; uint8_t *t = cur; cur = prev; prev = t; }
        else last = row;
    }
}

static size_t chunk(uint8_t *p, const char *type, size_t n) {   // data already at p + 8
    be32(p, (uint32_t)n);
    memcpy(p + 4, type, 4);
    be32(p + 8 + n, libdeflate_crc32(0, p + 4, n + 4));
    return n + 12;
}

int sb_png_writer_encode(sb_png_writer *w, const void *pixels, int width, int height, int channels, int bit_depth,
                         int filter, int coder, int param, const uint8_t **out, size_t *out_len,
                         char *message, size_t message_len) {
    if (width <= 0 || height <= 0 || (channels != 1 && channels != 3) || (bit_depth != 8 && bit_depth != 16)
        || filter < 0 || filter > 2 || width > (1 << 24) || height > (1 << 24)) {
        snprintf(message, message_len, "unsupported image %dx%d, %d channel(s), %d-bit, filter %d", width, height, channels, bit_depth, filter);
        return -1;
    }
    if ((coder == SB_PNG_CODER_LIBDEFLATE && (param < 1 || param > 12)) || (coder == SB_PNG_CODER_RUNS && (param < 0 || param > 4))
        || (coder != SB_PNG_CODER_LIBDEFLATE && coder != SB_PNG_CODER_RUNS)) {
        snprintf(message, message_len, "unsupported coder %d with parameter %d", coder, param);
        return -1;
    }
    const int wide = bit_depth == 16;
    const int bpp = channels * (wide ? 2 : 1);
    const size_t stride = (size_t)width * (size_t)bpp;
    const size_t raw = (stride + 1) * (size_t)height;
    if (raw / (size_t)height != stride + 1 || raw > ((size_t)1 << 31) - 1024) {
        snprintf(message, message_len, "image too large for one IDAT chunk");
        return -1;
    }
    if (!grow(&w->filtered, &w->filtered_cap, raw) || !grow(&w->rows, &w->rows_cap, 2 * stride)) {
        snprintf(message, message_len, "out of memory for %zu filtered bytes", raw);
        return -1;
    }
    filter_rows(w, pixels, stride, height, bpp, wide, filter);

    size_t zcap;
    if (coder == SB_PNG_CODER_LIBDEFLATE) {
        if (!w->level[param] && !(w->level[param] = libdeflate_alloc_compressor(param))) {
            snprintf(message, message_len, "libdeflate_alloc_compressor(%d) failed", param);
            return -1;
        }
        zcap = libdeflate_zlib_compress_bound(w->level[param], raw);
    } else {
        zcap = sb_png_runs_bound(raw);
    }
    const size_t head = 8 + 25 + 8;
    if (!grow(&w->out, &w->out_cap, head + zcap + 4 + 12)) {
        snprintf(message, message_len, "out of memory for the PNG buffer");
        return -1;
    }
    uint8_t *p = w->out;
    static const uint8_t signature[8] = { 137, 80, 78, 71, 13, 10, 26, 10 };
    memcpy(p, signature, 8);
    uint8_t *ihdr = p + 8 + 8;
    be32(ihdr, (uint32_t)width); be32(ihdr + 4, (uint32_t)height);
    ihdr[8] = (uint8_t)bit_depth; ihdr[9] = channels == 3 ? 2 : 0; ihdr[10] = 0; ihdr[11] = 0; ihdr[12] = 0;
    size_t at = 8 + chunk(p + 8, "IHDR", 13);
    size_t zn = coder == SB_PNG_CODER_LIBDEFLATE
        ? libdeflate_zlib_compress(w->level[param], w->filtered, raw, p + at + 8, zcap)
        : sb_png_runs_zlib(w->filtered, raw, param, p + at + 8, zcap);
    if (zn == 0) {
        snprintf(message, message_len, "compression did not fit its bound");
        return -1;
    }
    at += chunk(p + at, "IDAT", zn);
    at += chunk(p + at, "IEND", 0);
    *out = p;
    *out_len = at;
    return 0;
}
