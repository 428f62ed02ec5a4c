// Byte scans the content rules run over every page's text, 16 bytes a step with SSE2 (every
// x86-64 has it); elsewhere a byte at a time. Swift's own SIMD types compiled these to about
// nine times the instructions (issue 16), hence C. Static inline: Swift inlines them.
#ifndef GOVSWEEP_CBYTES_H
#define GOVSWEEP_CBYTES_H

#include <stddef.h>
#include <stdint.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/// The index of the first byte of p[i ..< n] that is an ASCII digit (0x30-0x39) or the BC of a
/// full-width digit (EF BC 90-99: the EF may lie before i); n when none. (BC is a common byte of
/// Chinese text, and EF BC begins the full-width comma, colon and brackets: stopping at those
/// sent over half of this scan's stops back to the caller for nothing.)
static inline size_t gs_next_digit_or_bc(const uint8_t *p, size_t i, size_t n) {
#if defined(__SSE2__)
    if (i == 0 && n > 0) {
        // (No byte before the first: only a digit stops here.)
        if ((uint8_t)(p[0] - 0x30) < 10) return 0;
        i = 1;
    }
    // b + 0x50 puts the digits at 0x80-0x89, the only bytes below -118 as signed bytes; b - 0x10
    // does the same for 90-99.
    const __m128i bias = _mm_set1_epi8((char)0x50);
    const __m128i wideBias = _mm_set1_epi8((char)-0x10);
    const __m128i limit = _mm_set1_epi8((char)-118);
    const __m128i bc = _mm_set1_epi8((char)0xBC);
    const __m128i ef = _mm_set1_epi8((char)0xEF);
    while (i + 17 <= n) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
        __m128i before = _mm_loadu_si128((const __m128i *)(const void *)(p + i - 1));
        __m128i after = _mm_loadu_si128((const __m128i *)(const void *)(p + i + 1));
        __m128i wide = _mm_and_si128(_mm_and_si128(_mm_cmpeq_epi8(x, bc), _mm_cmpeq_epi8(before, ef)),
                                     _mm_cmplt_epi8(_mm_add_epi8(after, wideBias), limit));
        __m128i hit = _mm_or_si128(_mm_cmplt_epi8(_mm_add_epi8(x, bias), limit), wide);
        int mask = _mm_movemask_epi8(hit);
        if (mask != 0) return i + (size_t)__builtin_ctz((unsigned)mask);
        i += 16;
    }
#endif
    for (; i < n; i++) {
        uint8_t b = p[i];
        if ((uint8_t)(b - 0x30) < 10) return i;
        if (b == 0xBC && i > 0 && p[i - 1] == 0xEF && i + 1 < n && (uint8_t)(p[i + 1] - 0x90) < 10) return i;
    }
    return n;
}

/// Copies src[0 ..< len] to dst 16 bytes a step up to the first byte that is white space or a
/// control (<= 0x20), or where a break may begin, and returns its index (or where the last whole
/// step ended: the caller goes on). Each step stores its 16 bytes whole: dst must have room for
/// len bytes. With `exact`, a break begins at NBSP (C2 A0) and U+3000 (E3 80 80) only (each step
/// reads two bytes past its 16); without, at any C2 or E3, `also1` or `also2`. (Static inline
/// with constant arguments: each wrapper below compiles to its own loop.)
static inline size_t gs_copy_until(uint8_t *dst, const uint8_t *src, size_t len, int exact, uint8_t also1, uint8_t also2) {
    size_t i = 0;
#if defined(__SSE2__)
    const size_t reach = exact ? 2 : 0;
    const __m128i space = _mm_set1_epi8(0x20);
    const __m128i c2 = _mm_set1_epi8((char)0xC2);
    const __m128i e3 = _mm_set1_epi8((char)0xE3);
    const __m128i a0 = _mm_set1_epi8((char)0xA0);
    const __m128i x80 = _mm_set1_epi8((char)0x80);
    const __m128i a1 = _mm_set1_epi8((char)also1);
    const __m128i a2 = _mm_set1_epi8((char)also2);
    while (i + 16 + reach <= len) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(src + i));
        _mm_storeu_si128((__m128i *)(void *)(dst + i), x);
        // x <= 0x20 unsigned: min(x, 0x20) == x.
        __m128i hit = _mm_cmpeq_epi8(_mm_min_epu8(x, space), x);
        if (exact) {
            __m128i x1 = _mm_loadu_si128((const __m128i *)(const void *)(src + i + 1));
            __m128i x2 = _mm_loadu_si128((const __m128i *)(const void *)(src + i + 2));
            __m128i nbsp = _mm_and_si128(_mm_cmpeq_epi8(x, c2), _mm_cmpeq_epi8(x1, a0));
            __m128i ideographic =
                _mm_and_si128(_mm_cmpeq_epi8(x, e3), _mm_and_si128(_mm_cmpeq_epi8(x1, x80), _mm_cmpeq_epi8(x2, x80)));
            hit = _mm_or_si128(hit, _mm_or_si128(nbsp, ideographic));
        } else {
            hit = _mm_or_si128(hit, _mm_or_si128(_mm_cmpeq_epi8(x, c2), _mm_cmpeq_epi8(x, e3)));
            hit = _mm_or_si128(hit, _mm_or_si128(_mm_cmpeq_epi8(x, a1), _mm_cmpeq_epi8(x, a2)));
        }
        int mask = _mm_movemask_epi8(hit);
        if (mask != 0) return i + (size_t)__builtin_ctz((unsigned)mask);
        i += 16;
    }
#else
    (void)dst;
    (void)src;
    (void)len;
    (void)exact;
    (void)also1;
    (void)also2;
#endif
    return i;
}

/// For text collapsed as a page's blocks are: breaks are white space, controls, NBSP and U+3000.
/// (Not every C2 and E3: E3 begins 。、《》 and the other CJK punctuation too, which ended the copy
/// every dozen characters of Chinese text.)
static inline size_t gs_copy_to_break(uint8_t *dst, const uint8_t *src, size_t len) {
    return gs_copy_until(dst, src, len, 1, 0x20, 0x20);
}

/// For the requirement names' normalising: white space, controls, any C2 and E3 (NBSP, U+3000 and
/// the brackets it drops), a double quote and E2 (which may begin the quotes and bullets it drops).
static inline size_t gs_copy_to_name_break(uint8_t *dst, const uint8_t *src, size_t len) {
    return gs_copy_until(dst, src, len, 0, 0x22, 0xE2);
}

/// Whether p[0 ..< n] is UTF-8 without NUL bytes: 1 yes, 0 no, -1 when this CPU cannot say
/// fast (no SSSE3: the caller checks byte by byte). In CBytes.c.
int gs_utf8_valid(const uint8_t *p, size_t n);

#endif
