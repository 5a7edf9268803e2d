/* The vectorised half of the whole-tree prefilter (see ByteSearch.h). */
#include "ByteSearch.h"

#if defined(__x86_64__)
#include <immintrin.h>
#endif

static size_t scalar(const unsigned char *bytes, size_t count, size_t from, size_t length,
                     size_t offset1, unsigned char byte1, size_t offset2, unsigned char byte2) {
    for (size_t p = from; p + length <= count; p++) {
        if (bytes[p + offset1] == byte1 && bytes[p + offset2] == byte2) return p;
    }
    return count;
}

#if defined(__x86_64__)
/* SSE2 is part of x86-64: always there. */
static size_t sse2(const unsigned char *bytes, size_t count, size_t from, size_t length,
                   size_t offset1, unsigned char byte1, size_t offset2, unsigned char byte2) {
    const __m128i v1 = _mm_set1_epi8((char)byte1), v2 = _mm_set1_epi8((char)byte2);
    size_t reach = (offset1 > offset2 ? offset1 : offset2) + 16;
    size_t p = from;
    for (; p + reach <= count; p += 16) {
        __m128i a = _mm_loadu_si128((const __m128i *)(bytes + p + offset1));
        __m128i b = _mm_loadu_si128((const __m128i *)(bytes + p + offset2));
        unsigned mask = (unsigned)_mm_movemask_epi8(_mm_and_si128(_mm_cmpeq_epi8(a, v1), _mm_cmpeq_epi8(b, v2)));
        while (mask) {
            size_t at = p + (size_t)__builtin_ctz(mask);
            if (at + length <= count) return at;
            mask &= mask - 1;
        }
    }
    return scalar(bytes, count, p, length, offset1, byte1, offset2, byte2);
}

__attribute__((target("avx2")))
static size_t avx2(const unsigned char *bytes, size_t count, size_t from, size_t length,
                   size_t offset1, unsigned char byte1, size_t offset2, unsigned char byte2) {
    const __m256i v1 = _mm256_set1_epi8((char)byte1), v2 = _mm256_set1_epi8((char)byte2);
    size_t reach = (offset1 > offset2 ? offset1 : offset2) + 32;
    size_t p = from;
    /* 64 bytes a step while nothing matches (the common case): one test. */
    for (; p + 32 + reach <= count; p += 64) {
        const unsigned char *at1 = bytes + p + offset1, *at2 = bytes + p + offset2;
        __m256i m0 = _mm256_and_si256(_mm256_cmpeq_epi8(_mm256_loadu_si256((const __m256i *)at1), v1),
                                      _mm256_cmpeq_epi8(_mm256_loadu_si256((const __m256i *)at2), v2));
        __m256i m1 = _mm256_and_si256(_mm256_cmpeq_epi8(_mm256_loadu_si256((const __m256i *)(at1 + 32)), v1),
                                      _mm256_cmpeq_epi8(_mm256_loadu_si256((const __m256i *)(at2 + 32)), v2));
        if (!_mm256_testz_si256(_mm256_or_si256(m0, m1), _mm256_or_si256(m0, m1))) break;
    }
    for (; p + reach <= count; p += 32) {
        __m256i a = _mm256_loadu_si256((const __m256i *)(bytes + p + offset1));
        __m256i b = _mm256_loadu_si256((const __m256i *)(bytes + p + offset2));
        unsigned mask = (unsigned)_mm256_movemask_epi8(_mm256_and_si256(_mm256_cmpeq_epi8(a, v1),
                                                                         _mm256_cmpeq_epi8(b, v2)));
        while (mask) {
            size_t at = p + (size_t)__builtin_ctz(mask);
            if (at + length <= count) return at;
            mask &= mask - 1;
        }
    }
    return sse2(bytes, count, p, length, offset1, byte1, offset2, byte2);
}
#endif

size_t ns_find_pair(const unsigned char *bytes, size_t count, size_t from, size_t length,
                    size_t offset1, unsigned char byte1, size_t offset2, unsigned char byte2) {
    if (length == 0 || from >= count || length > count - from) return count;
#if defined(__x86_64__)
    /* A load and a test of what the runtime read at start-up (no state here:
       thread-safe). */
    return __builtin_cpu_supports("avx2") ? avx2(bytes, count, from, length, offset1, byte1, offset2, byte2)
                   : sse2(bytes, count, from, length, offset1, byte1, offset2, byte2);
#else
    return scalar(bytes, count, from, length, offset1, byte1, offset2, byte2);
#endif
}
