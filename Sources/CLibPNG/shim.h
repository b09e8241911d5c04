#ifndef SYNTHBENCH_CLIBPNG_SHIM_H
#define SYNTHBENCH_CLIBPNG_SHIM_H
#include <png.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <zlib.h>

/// A growable byte buffer owned by the caller (free with synthbench_png_buffer_free).
typedef struct synthbench_png_buffer {
    unsigned char *data;
    size_t size;
    size_t capacity;
} synthbench_png_buffer;

typedef struct synthbench_png_ctx {
    jmp_buf jump;
    char message[256];
    synthbench_png_buffer *out;
    const unsigned char *in;
    size_t in_size;
    size_t in_pos;
    int failed;
} synthbench_png_ctx;

static inline void synthbench_png_buffer_free(synthbench_png_buffer *b) {
    free(b->data); b->data = NULL; b->size = 0; b->capacity = 0;
}

static inline void synthbench_png_error_fn(png_structp png, png_const_charp msg) {
    synthbench_png_ctx *ctx = (synthbench_png_ctx *)png_get_error_ptr(png);
    snprintf(ctx->message, sizeof ctx->message, "%s", msg ? msg : "libpng error");
    longjmp(ctx->jump, 1);
}
static inline void synthbench_png_warning_fn(png_structp png, png_const_charp msg) { (void)png; (void)msg; }

static inline void synthbench_png_write_fn(png_structp png, png_bytep data, png_size_t len) {
    synthbench_png_ctx *ctx = (synthbench_png_ctx *)png_get_io_ptr(png);
    synthbench_png_buffer *b = ctx->out;
    if (b->size + len > b->capacity) {
        size_t cap = b->capacity ? b->capacity : 65536;
        while (cap < b->size + len) cap *= 2;
        unsigned char *d = (unsigned char *)realloc(b->data, cap);
        if (!d) png_error(png, "out of memory growing the PNG buffer");
        b->data = d; b->capacity = cap;
    }
    memcpy(b->data + b->size, data, len);
    b->size += len;
}
static inline void synthbench_png_flush_fn(png_structp png) { (void)png; }

/// Encodes rows of `pixels` (8-bit, or 16-bit in host byte order) to PNG in `out` (appended after reset).
/// channels: 1 (gray) or 3 (RGB). filters: a PNG_FILTER_* mask. strategy: a zlib strategy constant.
/// Returns 0 on success; on failure returns -1 with the libpng message in `message`.
static inline int synthbench_png_encode(const void *pixels, int width, int height, int channels, int bit_depth,
                                        int filters, int level, int strategy,
                                        synthbench_png_buffer *out, char *message, size_t message_len) {
    synthbench_png_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.out = out;
    out->size = 0;
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &ctx, synthbench_png_error_fn, synthbench_png_warning_fn);
    if (!png) { snprintf(message, message_len, "png_create_write_struct failed"); return -1; }
    png_infop info = png_create_info_struct(png);
    if (!info) { png_destroy_write_struct(&png, NULL); snprintf(message, message_len, "png_create_info_struct failed"); return -1; }
    png_bytep *volatile rows = NULL;
    if (setjmp(ctx.jump)) {
        snprintf(message, message_len, "%s", ctx.message);
        free((void *)rows);
        png_destroy_write_struct(&png, &info);
        return -1;
    }
    png_set_write_fn(png, &ctx, synthbench_png_write_fn, synthbench_png_flush_fn);
    png_set_IHDR(png, info, (png_uint_32)width, (png_uint_32)height, bit_depth,
                 channels == 3 ? PNG_COLOR_TYPE_RGB : PNG_COLOR_TYPE_GRAY,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_set_filter(png, PNG_FILTER_TYPE_BASE, filters);
    png_set_compression_level(png, level);
    png_set_compression_strategy(png, strategy);
    png_set_compression_buffer_size(png, 1 << 17);
    png_write_info(png, info);
    if (bit_depth == 16) {
        const unsigned short one = 1;
        if (*(const unsigned char *)&one == 1) png_set_swap(png);
    }
    size_t stride = (size_t)width * (size_t)channels * (size_t)(bit_depth / 8);
    rows = (png_bytep *)malloc(sizeof(png_bytep) * (size_t)height);
    if (!rows) png_error(png, "out of memory for row pointers");
    for (int y = 0; y < height; y++) rows[y] = (png_bytep)pixels + (size_t)y * stride;
    png_write_image(png, rows);
    png_write_end(png, NULL);
    free((void *)rows);
    png_destroy_write_struct(&png, &info);
    return 0;
}

static inline void synthbench_png_read_fn(png_structp png, png_bytep data, png_size_t len) {
    synthbench_png_ctx *ctx = (synthbench_png_ctx *)png_get_io_ptr(png);
    if (ctx->in_pos + len > ctx->in_size) png_error(png, "unexpected end of PNG data");
    memcpy(data, ctx->in + ctx->in_pos, len);
    ctx->in_pos += len;
}

/// Header of a PNG held in memory: width, height, bit depth and channel count. Returns -1 on a bad header.
static inline int synthbench_png_header(const unsigned char *bytes, size_t size, int *width, int *height,
                                        int *bit_depth, int *channels, char *message, size_t message_len) {
    if (size < 33 || png_sig_cmp(bytes, 0, 8) != 0) { snprintf(message, message_len, "not a PNG signature"); return -1; }
    if (memcmp(bytes + 12, "IHDR", 4) != 0) { snprintf(message, message_len, "first chunk is not IHDR"); return -1; }
    *width = (int)((bytes[16] << 24) | (bytes[17] << 16) | (bytes[18] << 8) | bytes[19]);
    *height = (int)((bytes[20] << 24) | (bytes[21] << 16) | (bytes[22] << 8) | bytes[23]);
    *bit_depth = bytes[24];
    int ct = bytes[25];
    *channels = ct == 0 ? 1 : ct == 2 ? 3 : ct == 3 ? 1 : ct == 4 ? 2 : ct == 6 ? 4 : 0;
    return 0;
}

/// Decodes a PNG held in memory into `pixels` (8-bit, or 16-bit in host byte order), which the caller
/// sizes as width*height*channels*(bit_depth/8) after reading the header. Palette images are expanded to RGB.
/// Returns 0 on success, -1 with a message on failure.
static inline int synthbench_png_decode(const unsigned char *bytes, size_t size, void *pixels, size_t pixels_len,
                                        int *width, int *height, int *bit_depth, int *channels,
                                        char *message, size_t message_len) {
    synthbench_png_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.in = bytes; ctx.in_size = size;
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &ctx, synthbench_png_error_fn, synthbench_png_warning_fn);
    if (!png) { snprintf(message, message_len, "png_create_read_struct failed"); return -1; }
    png_infop info = png_create_info_struct(png);
    if (!info) { png_destroy_read_struct(&png, NULL, NULL); snprintf(message, message_len, "png_create_info_struct failed"); return -1; }
    png_bytep *volatile rows = NULL;
    if (setjmp(ctx.jump)) {
        snprintf(message, message_len, "%s", ctx.message);
        free((void *)rows);
        png_destroy_read_struct(&png, &info, NULL);
        return -1;
    }
    png_set_read_fn(png, &ctx, synthbench_png_read_fn);
    png_read_info(png, info);
    int ct = png_get_color_type(png, info);
    if (ct == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);
    if (ct == PNG_COLOR_TYPE_GRAY && png_get_bit_depth(png, info) < 8) png_set_expand_gray_1_2_4_to_8(png);
    if (png_get_bit_depth(png, info) == 16) {
        const unsigned short one = 1;
        if (*(const unsigned char *)&one == 1) png_set_swap(png);
    }
    png_read_update_info(png, info);
    *width = (int)png_get_image_width(png, info);
    *height = (int)png_get_image_height(png, info);
    *bit_depth = png_get_bit_depth(png, info);
    *channels = png_get_channels(png, info);
    size_t stride = png_get_rowbytes(png, info);
    if (stride * (size_t)(*height) > pixels_len) png_error(png, "pixel buffer too small for this PNG");
    rows = (png_bytep *)malloc(sizeof(png_bytep) * (size_t)(*height));
    if (!rows) png_error(png, "out of memory for row pointers");
    for (int y = 0; y < *height; y++) rows[y] = (png_bytep)pixels + (size_t)y * stride;
    png_read_image(png, rows);
    png_read_end(png, NULL);
    free((void *)rows);
    png_destroy_read_struct(&png, &info, NULL);
    return 0;
}
#endif
