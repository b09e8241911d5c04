// The built-in zlib coder: one dynamic-Huffman DEFLATE block per image (RFC 1951 §3.2.7), whose tokens are
// literals and runs that repeat the bytes `distance` back (length 4...258), as fast PNG encoders do; a stored
// block instead when that would be smaller. Two passes over the data: count symbols, then write them.
#include "pngwrite.h"
#include <libdeflate.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "the run finder compares 8 bytes at a time, little-endian");

enum { LITLEN = 286, DISTS = 30, CLENS = 19, MAX_BITS = 15, MAX_CL_BITS = 7, MIN_RUN = 4, MAX_RUN = 258 };

typedef struct { uint8_t *p; uint64_t buf; int cnt; } bits_t;

static inline void put(bits_t *b, uint64_t v, int n) {
    b->buf |= v << b->cnt;
    b->cnt += n;
    if (b->cnt >= 32) {
        uint32_t w = (uint32_t)b->buf;
        b->p[0] = (uint8_t)w; b->p[1] = (uint8_t)(w >> 8); b->p[2] = (uint8_t)(w >> 16); b->p[3] = (uint8_t)(w >> 24);
        b->p += 4; b->buf >>= 32; b->cnt -= 32;
    }
}
// Adds up to 57 bits without writing; `drain` then writes the whole bytes with one 8-byte store. Between two
// drains at most 64 − 7 bits may be added (the caller's arithmetic guarantees it). The output needs 8 bytes of
// slack past the stream's end (sb_png_runs_bound has 16).
static inline void add(bits_t *b, uint64_t v, int n) { b->buf |= v << b->cnt; b->cnt += n; }
static inline void drain(bits_t *b) {
    const uint64_t w = b->buf;
    memcpy(b->p, &w, 8);   // little-endian: the static assert above
    const int bytes = b->cnt >> 3;
    b->p += bytes;
    b->buf = bytes == 8 ? 0 : w >> (bytes * 8);
    b->cnt &= 7;
}
static inline void flush(bits_t *b) {
    while (b->cnt > 0) { *b->p++ = (uint8_t)b->buf; b->buf >>= 8; b->cnt -= 8; }
    b->cnt = 0; b->buf = 0;
}

// Length 3...258 → symbol 257...285 and its extra bits (RFC 1951 §3.2.5).
static const uint16_t len_base[29] = { 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59,
                                       67, 83, 99, 115, 131, 163, 195, 227, 258 };
static const uint8_t len_extra[29] = { 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0 };
static uint8_t len_sym[259];   // length → index into len_base
static pthread_once_t len_sym_once = PTHREAD_ONCE_INIT;

static void fill_len_sym(void) {
    for (int s = 0; s < 28; s++)
        for (int l = len_base[s]; l < len_base[s + 1]; l++) len_sym[l] = (uint8_t)s;
    len_sym[258] = 28;
}

typedef struct { uint32_t freq; uint16_t sym; } leaf_t;
static int leaf_cmp(const void *a, const void *b) {
    const leaf_t *x = a, *y = b;
    if (x->freq != y->freq) return x->freq < y->freq ? -1 : 1;
    return x->sym < y->sym ? -1 : (x->sym > y->sym);
}

// Code lengths of a Huffman code for `freq`, no longer than `max_bits` (lengths above it are folded in as
// zlib and miniz do: the Kraft sum is restored by lengthening the deepest shorter codes).
static void huffman_lengths(const uint32_t *freq, int n, int max_bits, uint8_t *len) {
    leaf_t leaves[LITLEN + 2];
    int m = 0;
    for (int i = 0; i < n; i++) { len[i] = 0; if (freq[i]) { leaves[m].freq = freq[i]; leaves[m].sym = (uint16_t)i; m++; } }
    if (m == 0) return;
    if (m == 1) { len[leaves[0].sym] = 1; return; }
    qsort(leaves, (size_t)m, sizeof leaves[0], leaf_cmp);
    // Two-queue construction: leaves in ascending order, internal nodes appear in ascending order too.
    uint64_t iw[LITLEN + 2];
    int leaf_parent[LITLEN + 2], node_parent[LITLEN + 2];
    int li = 0, ni = 0, nodes = 0;
    for (int k = 0; k < m - 1; k++) {
        int pick[2];
        uint64_t w = 0;
        for (int c = 0; c < 2; c++) {
            if (li < m && (ni >= nodes || leaves[li].freq <= iw[ni])) { pick[c] = li; w += leaves[li].freq; li++; }
            else { pick[c] = -1 - ni; w += iw[ni]; ni++; }
        }
        iw[nodes] = w;
        for (int c = 0; c < 2; c++) {
            if (pick[c] >= 0) leaf_parent[pick[c]] = nodes; else node_parent[-1 - pick[c]] = nodes;
        }
        nodes++;
    }
    int depth[LITLEN + 2];
    depth[nodes - 1] = 0;
    for (int k = nodes - 2; k >= 0; k--) depth[k] = depth[node_parent[k]] + 1;
    int count[64] = { 0 };
    for (int i = 0; i < m; i++) { int d = depth[leaf_parent[i]] + 1; count[d > 63 ? 63 : d]++; }
    for (int d = max_bits + 1; d < 64; d++) { count[max_bits] += count[d]; count[d] = 0; }
    uint32_t total = 0;
    for (int d = max_bits; d > 0; d--) total += (uint32_t)count[d] << (max_bits - d);
    while (total != (1u << max_bits)) {
        count[max_bits]--;
        for (int d = max_bits - 1; d > 0; d--) if (count[d]) { count[d]--; count[d + 1] += 2; break; }
        total--;
    }
    // The least frequent symbols get the longest codes.
    int at = 0;
    for (int d = max_bits; d > 0; d--) for (int c = 0; c < count[d]; c++) len[leaves[at++].sym] = (uint8_t)d;
}

// Canonical codes (RFC 1951 §3.2.2), bit-reversed for LSB-first output.
static void canonical_codes(const uint8_t *len, int n, uint16_t *code) {
    int bl_count[MAX_BITS + 1] = { 0 };
    for (int i = 0; i < n; i++) bl_count[len[i]]++;
    bl_count[0] = 0;
    int next[MAX_BITS + 2];
    int c = 0;
    for (int b = 1; b <= MAX_BITS; b++) { c = (c + bl_count[b - 1]) << 1; next[b] = c; }
    for (int i = 0; i < n; i++) {
        int l = len[i];
        if (!l) { code[i] = 0; continue; }
        unsigned v = (unsigned)next[l]++, r = 0;
        for (int k = 0; k < l; k++) { r = (r << 1) | (v & 1); v >>= 1; }
        code[i] = (uint16_t)r;
    }
}

// Visits the tokens of `data`: literals, and runs of length 4...258 that repeat the bytes `distance` back.
// The same walk counts (pass 0) and writes (pass 1), so both see the same tokens.
#define WALK(data, size, distance, LITERAL, RUN)                                                            \
    do {                                                                                                     \
        size_t i_ = 0;                                                                                       \
        const size_t d_ = (size_t)(distance);                                                                \
        if (d_ == 0) {                                                                                       \
            for (; i_ < (size); i_++) { LITERAL(data[i_]); }                                                 \
        } else {                                                                                             \
            for (; i_ < d_ && i_ < (size); i_++) { LITERAL(data[i_]); }                                      \
            while (i_ < (size)) {                                                                            \
                uint32_t a_, b_;                                                                             \
                if (i_ + MIN_RUN <= (size)) { memcpy(&a_, data + i_, 4); memcpy(&b_, data + i_ - d_, 4); }    \
                else { a_ = 0; b_ = 1; }                                                                     \
                if (a_ != b_) { LITERAL(data[i_]); i_++; continue; }                                         \
                size_t l_ = MIN_RUN;                                                                         \
                int stop_ = 0;                                                                               \
                for (;;) {                                                                                   \
                    uint64_t x_, y_;                                                                         \
                    if (i_ + l_ + 8 > (size) || l_ + 8 > MAX_RUN) break;                                     \
                    memcpy(&x_, data + i_ + l_, 8); memcpy(&y_, data + i_ + l_ - d_, 8);                     \
                    if (x_ != y_) { l_ += (size_t)__builtin_ctzll(x_ ^ y_) / 8; stop_ = 1; break; }          \
                    l_ += 8;                                                                                 \
                }                                                                                            \
                while (!stop_ && i_ + l_ < (size) && l_ < MAX_RUN && data[i_ + l_] == data[i_ + l_ - d_]) l_++; \
                RUN(l_);                                                                                     \
                i_ += l_;                                                                                    \
            }                                                                                                \
        }                                                                                                    \
    } while (0)

size_t sb_png_runs_bound(size_t size) {
    return 2 + size + 5 * (size / 65535 + 1) + 4 + 16;
}

static size_t stored(const uint8_t *data, size_t size, uint8_t *o) {
    uint8_t *p = o;
    size_t at = 0;
    do {
        size_t n = size - at > 65535 ? 65535 : size - at;
        *p++ = at + n == size ? 1 : 0;
        p[0] = (uint8_t)n; p[1] = (uint8_t)(n >> 8); p[2] = (uint8_t)~n; p[3] = (uint8_t)(~n >> 8);
        p += 4;
        memcpy(p, data + at, n);
        p += n; at += n;
    } while (at < size);
    return (size_t)(p - o);
}

size_t sb_png_runs_zlib(const uint8_t *data, size_t size, int distance, uint8_t *out, size_t capacity) {
    if (capacity < sb_png_runs_bound(size) || distance < 0 || distance > 4) return 0;
    pthread_once(&len_sym_once, fill_len_sym);
    // Pass 0: count symbols (four literal tables interleaved to keep the counts independent).
    uint32_t lit4[4][256];
    memset(lit4, 0, sizeof lit4);
    uint32_t freq[LITLEN] = { 0 };
    size_t k = 0;
#define COUNT_LIT(b) (lit4[k++ & 3][(b)]++)
#define COUNT_RUN(l) (freq[257 + len_sym[(l)]]++)
    if (distance == 0) {
        size_t i = 0;
        for (; i + 4 <= size; i += 4) { lit4[0][data[i]]++; lit4[1][data[i + 1]]++; lit4[2][data[i + 2]]++; lit4[3][data[i + 3]]++; }
        for (; i < size; i++) lit4[0][data[i]]++;
    } else {
        WALK(data, size, distance, COUNT_LIT, COUNT_RUN);
    }
    for (int s = 0; s < 256; s++) freq[s] = lit4[0][s] + lit4[1][s] + lit4[2][s] + lit4[3][s];
    freq[256] = 1;
    uint32_t dfreq[DISTS] = { 0 };
    dfreq[distance > 0 ? distance - 1 : 0] = 1;   // one distance code (length 1), used or not

    uint8_t len[LITLEN + DISTS], dlen[DISTS];
    huffman_lengths(freq, LITLEN, MAX_BITS, len);
    huffman_lengths(dfreq, DISTS, MAX_BITS, dlen);
    int hlit = LITLEN;
    while (hlit > 257 && len[hlit - 1] == 0) hlit--;
    int hdist = DISTS;
    while (hdist > 1 && dlen[hdist - 1] == 0) hdist--;
    memcpy(len + hlit, dlen, (size_t)hdist);
    int total = hlit + hdist;

    // Code lengths, run-length coded with symbols 16 (repeat previous 3-6), 17 (zeros 3-10), 18 (zeros 11-138).
    uint8_t cl_sym[LITLEN + DISTS], cl_extra[LITLEN + DISTS];
    int ncl = 0;
    for (int i = 0; i < total;) {
        int l = len[i], run = 1;
        while (i + run < total && len[i + run] == l) run++;
        i += run;
        if (l == 0) {
            while (run >= 11) { int r = run > 138 ? 138 : run; cl_sym[ncl] = 18; cl_extra[ncl++] = (uint8_t)(r - 11); run -= r; }
            if (run >= 3) { cl_sym[ncl] = 17; cl_extra[ncl++] = (uint8_t)(run - 3); run = 0; }
            while (run-- > 0) { cl_sym[ncl] = 0; cl_extra[ncl++] = 0; }
        } else {
            cl_sym[ncl] = (uint8_t)l; cl_extra[ncl++] = 0; run--;
            while (run >= 3) { int r = run > 6 ? 6 : run; cl_sym[ncl] = 16; cl_extra[ncl++] = (uint8_t)(r - 3); run -= r; }
            while (run-- > 0) { cl_sym[ncl] = (uint8_t)l; cl_extra[ncl++] = 0; }
        }
    }
    uint32_t clfreq[CLENS] = { 0 };
    for (int i = 0; i < ncl; i++) clfreq[cl_sym[i]]++;
    int used = 0;
    for (int s = 0; s < CLENS; s++) used += clfreq[s] != 0;
    if (used == 1) clfreq[clfreq[0] ? 1 : 0] = 1;   // inflate refuses an incomplete code-length code
    uint8_t cllen[CLENS];
    huffman_lengths(clfreq, CLENS, MAX_CL_BITS, cllen);
    static const uint8_t order[CLENS] = { 16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15 };
    int hclen = CLENS;
    while (hclen > 4 && cllen[order[hclen - 1]] == 0) hclen--;

    // The block's exact size in bits, against a stored block's.
    uint64_t nbits = 3 + 5 + 5 + 4 + 3 * (uint64_t)hclen;
    for (int i = 0; i < ncl; i++) nbits += cllen[cl_sym[i]] + (cl_sym[i] == 16 ? 2 : cl_sym[i] == 17 ? 3 : cl_sym[i] == 18 ? 7 : 0);
    for (int s = 0; s < LITLEN; s++) nbits += (uint64_t)freq[s] * len[s];
    for (int s = 0; s < 29; s++) nbits += (uint64_t)freq[257 + s] * (len_extra[s] + (uint64_t)dlen[distance > 0 ? distance - 1 : 0]);   // + distance code
    uint8_t *p = out;
    *p++ = 0x78; *p++ = 0x01;
    if ((nbits + 7) / 8 >= size + 5 * (size / 65535 + 1)) {
        p += stored(data, size, p);
    } else {
        uint16_t code[LITLEN], dcode[DISTS], clcode[CLENS];
        canonical_codes(len, hlit, code);
        for (int s = hlit; s < LITLEN; s++) code[s] = 0;
        canonical_codes(len + hlit, hdist, dcode);
        canonical_codes(cllen, CLENS, clcode);
        bits_t b = { p, 0, 0 };
        put(&b, 1, 1); put(&b, 2, 2);
        put(&b, (uint64_t)(hlit - 257), 5); put(&b, (uint64_t)(hdist - 1), 5); put(&b, (uint64_t)(hclen - 4), 4);
        for (int i = 0; i < hclen; i++) put(&b, cllen[order[i]], 3);
        for (int i = 0; i < ncl; i++) {
            int s = cl_sym[i];
            put(&b, clcode[s], cllen[s]);
            if (s == 16) put(&b, cl_extra[i], 2); else if (s == 17) put(&b, cl_extra[i], 3); else if (s == 18) put(&b, cl_extra[i], 7);
        }
        // Literal table: code | length << 16.
        uint32_t lit[256];
        for (int s = 0; s < 256; s++) lit[s] = (uint32_t)code[s] | (uint32_t)len[s] << 16;
        const int dsym = distance > 0 ? distance - 1 : 0;
        const uint32_t dc = dcode[dsym], dl = len[hlit + dsym];
#define WRITE_LIT(v) do { uint32_t e_ = lit[(v)]; put(&b, e_ & 0xFFFF, (int)(e_ >> 16)); } while (0)
#define WRITE_RUN(l) do { int s_ = len_sym[(l)]; put(&b, code[257 + s_], len[257 + s_]);                 \
                          if (len_extra[s_]) put(&b, (uint64_t)((l) - len_base[s_]), len_extra[s_]);      \
                          put(&b, dc, (int)dl); } while (0)
        if (distance == 0) {
            // Three literals (at most 45 bits) per 8-byte store: the same bits as one `put` per literal.
            size_t i = 0;
            if (size >= 3) {
                drain(&b);   // fewer than 32 bits pending → at most 7, so 7 + 45 bits fit in 64
                for (; i + 3 <= size; i += 3) {
                    uint32_t e0 = lit[data[i]], e1 = lit[data[i + 1]], e2 = lit[data[i + 2]];
                    add(&b, e0 & 0xFFFF, (int)(e0 >> 16));
                    add(&b, e1 & 0xFFFF, (int)(e1 >> 16));
                    add(&b, e2 & 0xFFFF, (int)(e2 >> 16));
                    drain(&b);
                }
            }
            for (; i < size; i++) WRITE_LIT(data[i]);
        } else {
            WALK(data, size, distance, WRITE_LIT, WRITE_RUN);
        }
        put(&b, code[256], len[256]);
        flush(&b);
        p = b.p;
    }
    uint32_t a = libdeflate_adler32(1, data, size);
    p[0] = (uint8_t)(a >> 24); p[1] = (uint8_t)(a >> 16); p[2] = (uint8_t)(a >> 8); p[3] = (uint8_t)a;
    p += 4;
    return (size_t)(p - out);
}
