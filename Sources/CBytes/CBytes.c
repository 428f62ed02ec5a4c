// The scans are static inline in include/CBytes.h; the UTF-8 check below is compiled here, for
// a CPU feature looked up once.
#include "CBytes.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <cpuid.h>
#include <stdatomic.h>
#include <tmmintrin.h>

// Keiser and Lemire's UTF-8 check ("Validating UTF-8 in less than one instruction per byte",
// 2021; simdjson's lookup4): each byte with the one before it looked up in three 16-entry
// tables (pshufb, SSSE3), one bit per kind of error; the third and fourth bytes of a sequence
// checked on the bytes two and three before them. NUL is an error here as in
// TextDecoding.firstInvalidUTF8 (it confuses libxml2).
#define TOO_SHORT (1 << 0)
#define TOO_LONG (1 << 1)
#define OVERLONG_3 (1 << 2)
#define TOO_LARGE (1 << 3)
#define SURROGATE (1 << 4)
#define OVERLONG_2 (1 << 5)
#define TOO_LARGE_1000 (1 << 6)
#define OVERLONG_4 (1 << 6)
#define TWO_CONTS (1 << 7)
#define CARRY (TOO_SHORT | TOO_LONG | TWO_CONTS)

__attribute__((target("ssse3"))) static inline __m128i gs_prev(__m128i input, __m128i previous, int n) {
    switch (n) {
    case 1: return _mm_alignr_epi8(input, previous, 15);
    case 2: return _mm_alignr_epi8(input, previous, 14);
    default: return _mm_alignr_epi8(input, previous, 13);
    }
}

// The error bits of one 16-byte block, `previous` the block before it (zeros before the first).
__attribute__((target("ssse3"))) static inline __m128i gs_utf8_block(__m128i input, __m128i previous) {
    const __m128i low4 = _mm_set1_epi8(0x0F);
    const __m128i byte1High = _mm_setr_epi8(
        TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG,
        (char)TWO_CONTS, (char)TWO_CONTS, (char)TWO_CONTS, (char)TWO_CONTS,
        TOO_SHORT | OVERLONG_2, TOO_SHORT, TOO_SHORT | OVERLONG_3 | SURROGATE,
        (char)(TOO_SHORT | TOO_LARGE | TOO_LARGE_1000 | OVERLONG_4));
    const __m128i byte1Low = _mm_setr_epi8(
        (char)(CARRY | OVERLONG_3 | OVERLONG_2 | OVERLONG_4), (char)(CARRY | OVERLONG_2), (char)CARRY, (char)CARRY,
        (char)(CARRY | TOO_LARGE), (char)(CARRY | TOO_LARGE | TOO_LARGE_1000), (char)(CARRY | TOO_LARGE | TOO_LARGE_1000),
        (char)(CARRY | TOO_LARGE | TOO_LARGE_1000), (char)(CARRY | TOO_LARGE | TOO_LARGE_1000),
        (char)(CARRY | TOO_LARGE | TOO_LARGE_1000), (char)(CARRY | TOO_LARGE | TOO_LARGE_1000),
        (char)(CARRY | TOO_LARGE | TOO_LARGE_1000), (char)(CARRY | TOO_LARGE | TOO_LARGE_1000),
        (char)(CARRY | TOO_LARGE | TOO_LARGE_1000 | SURROGATE), (char)(CARRY | TOO_LARGE | TOO_LARGE_1000),
        (char)(CARRY | TOO_LARGE | TOO_LARGE_1000));
    const __m128i byte2High = _mm_setr_epi8(
        TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT,
        (char)(TOO_LONG | OVERLONG_2 | TWO_CONTS | OVERLONG_3 | TOO_LARGE_1000 | OVERLONG_4),
        (char)(TOO_LONG | OVERLONG_2 | TWO_CONTS | OVERLONG_3 | TOO_LARGE),
        (char)(TOO_LONG | OVERLONG_2 | TWO_CONTS | SURROGATE | TOO_LARGE),
        (char)(TOO_LONG | OVERLONG_2 | TWO_CONTS | SURROGATE | TOO_LARGE),
        TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT);
    __m128i prev1 = gs_prev(input, previous, 1);
    __m128i special = _mm_and_si128(
        _mm_and_si128(_mm_shuffle_epi8(byte1High, _mm_and_si128(_mm_srli_epi16(prev1, 4), low4)),
                      _mm_shuffle_epi8(byte1Low, _mm_and_si128(prev1, low4))),
        _mm_shuffle_epi8(byte2High, _mm_and_si128(_mm_srli_epi16(input, 4), low4)));
    // Bytes that must be a sequence's third or fourth: after a three- or four-byte lead.
    __m128i third = _mm_subs_epu8(gs_prev(input, previous, 2), _mm_set1_epi8((char)(0xE0 - 0x80)));
    __m128i fourth = _mm_subs_epu8(gs_prev(input, previous, 3), _mm_set1_epi8((char)(0xF0 - 0x80)));
    __m128i must23 = _mm_and_si128(_mm_or_si128(third, fourth), _mm_set1_epi8((char)0x80));
    __m128i error = _mm_xor_si128(must23, special);
    // NUL.
    return _mm_or_si128(error, _mm_cmpeq_epi8(input, _mm_setzero_si128()));
}

__attribute__((target("ssse3"))) static int gs_utf8_valid_ssse3(const uint8_t *p, size_t n) {
    __m128i previous = _mm_setzero_si128();
    __m128i error = _mm_setzero_si128();
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        __m128i input = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
        // A block of ASCII after a block that ends no sequence: nothing to look up.
        if (_mm_movemask_epi8(input) == 0) {
            error = _mm_or_si128(error, _mm_cmpeq_epi8(input, _mm_setzero_si128()));
            // (The block before may end in a lead: checked against this block's first bytes.)
            __m128i incomplete = _mm_subs_epu8(previous, _mm_setr_epi8(
                -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, (char)(0xF0 - 1), (char)(0xE0 - 1), (char)(0xC0 - 1)));
            error = _mm_or_si128(error, incomplete);
        } else {
            error = _mm_or_si128(error, gs_utf8_block(input, previous));
        }
        previous = input;
        if ((i & 1023) == 1008 && _mm_movemask_epi8(_mm_cmpeq_epi8(error, _mm_setzero_si128())) != 0xFFFF) return 0;
    }
    // The rest, padded with spaces (ASCII, not NUL): a sequence cut off by the end meets them
    // and is too short. With no rest, one block of spaces checks the last block's end.
    uint8_t last[16];
    size_t k = 0;
    for (; i + k < n; k++) last[k] = p[i + k];
    for (; k < 16; k++) last[k] = 0x20;
    error = _mm_or_si128(error, gs_utf8_block(_mm_loadu_si128((const __m128i *)(const void *)last), previous));
    return _mm_movemask_epi8(_mm_cmpeq_epi8(error, _mm_setzero_si128())) == 0xFFFF;
}

// (Atomic: page tasks on several threads ask at once; each computes the same answer.)
static int gs_has_ssse3(void) {
    static atomic_int known = -1;
    int k = atomic_load_explicit(&known, memory_order_relaxed);
    if (k < 0) {
        unsigned a, b, c, d;
        k = __get_cpuid(1, &a, &b, &c, &d) && (c & bit_SSSE3) ? 1 : 0;
        atomic_store_explicit(&known, k, memory_order_relaxed);
    }
    return k;
}

int gs_utf8_valid(const uint8_t *p, size_t n) {
    if (!gs_has_ssse3()) return -1;
    return gs_utf8_valid_ssse3(p, n);
}
#else
int gs_utf8_valid(const uint8_t *p, size_t n) {
    (void)p;
    (void)n;
    return -1;
}
#endif
