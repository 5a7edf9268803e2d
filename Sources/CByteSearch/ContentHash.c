/* Content hash and build ID for the configuration cache (see ContentHash.h). */
#define _GNU_SOURCE
#include "ContentHash.h"
#include <string.h>
#if defined(__linux__)
#include <elf.h>
#include <link.h>
#endif

static inline uint64_t rotl64(uint64_t x, int8_t r) { return (x << r) | (x >> (64 - r)); }

static inline uint64_t fmix64(uint64_t k) {
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdULL;
    k ^= k >> 33;
    k *= 0xc4ceb9fe1a85ec53ULL;
    k ^= k >> 33;
    return k;
}

static inline uint64_t load64(const uint8_t *p) {
    uint64_t v;
    memcpy(&v, p, sizeof v);   /* little-endian hosts: the reference's getblock64 */
    return v;
}

void ns_hash128(const void *bytes, size_t count, uint64_t seed, uint64_t out[2]) {
    const uint8_t *data = (const uint8_t *)bytes;
    const size_t nblocks = count / 16;
    uint64_t h1 = seed, h2 = seed;
    const uint64_t c1 = 0x87c37b91114253d5ULL, c2 = 0x4cf5ad432745937fULL;

    for (size_t i = 0; i < nblocks; i++) {
        uint64_t k1 = load64(data + i * 16), k2 = load64(data + i * 16 + 8);
        k1 *= c1; k1 = rotl64(k1, 31); k1 *= c2; h1 ^= k1;
        h1 = rotl64(h1, 27); h1 += h2; h1 = h1 * 5 + 0x52dce729;
        k2 *= c2; k2 = rotl64(k2, 33); k2 *= c1; h2 ^= k2;
        h2 = rotl64(h2, 31); h2 += h1; h2 = h2 * 5 + 0x38495ab5;
    }

    const uint8_t *tail = data + nblocks * 16;
    uint64_t k1 = 0, k2 = 0;
    switch (count & 15) {
    case 15: k2 ^= ((uint64_t)tail[14]) << 48; /* fall through */
    case 14: k2 ^= ((uint64_t)tail[13]) << 40; /* fall through */
    case 13: k2 ^= ((uint64_t)tail[12]) << 32; /* fall through */
    case 12: k2 ^= ((uint64_t)tail[11]) << 24; /* fall through */
    case 11: k2 ^= ((uint64_t)tail[10]) << 16; /* fall through */
    case 10: k2 ^= ((uint64_t)tail[9]) << 8;   /* fall through */
    case 9:  k2 ^= ((uint64_t)tail[8]);
             k2 *= c2; k2 = rotl64(k2, 33); k2 *= c1; h2 ^= k2;
             /* fall through */
    case 8:  k1 ^= ((uint64_t)tail[7]) << 56;  /* fall through */
    case 7:  k1 ^= ((uint64_t)tail[6]) << 48;  /* fall through */
    case 6:  k1 ^= ((uint64_t)tail[5]) << 40;  /* fall through */
    case 5:  k1 ^= ((uint64_t)tail[4]) << 32;  /* fall through */
    case 4:  k1 ^= ((uint64_t)tail[3]) << 24;  /* fall through */
    case 3:  k1 ^= ((uint64_t)tail[2]) << 16;  /* fall through */
    case 2:  k1 ^= ((uint64_t)tail[1]) << 8;   /* fall through */
    case 1:  k1 ^= ((uint64_t)tail[0]);
             k1 *= c1; k1 = rotl64(k1, 31); k1 *= c2; h1 ^= k1;
    }

    h1 ^= (uint64_t)count; h2 ^= (uint64_t)count;
    h1 += h2; h2 += h1;
    h1 = fmix64(h1); h2 = fmix64(h2);
    h1 += h2; h2 += h1;
    out[0] = h1;
    out[1] = h2;
}

#if defined(__linux__)
struct build_id_search {
    unsigned char *out;
    size_t capacity;
    size_t found;
};

static int visit(struct dl_phdr_info *info, size_t size, void *context) {
    (void)size;
    struct build_id_search *search = context;
    /* The first object listed is the executable itself. */
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type != PT_NOTE) continue;
        const unsigned char *p = (const unsigned char *)(info->dlpi_addr + ph->p_vaddr);
        const unsigned char *end = p + ph->p_memsz;
        while (p + sizeof(ElfW(Nhdr)) <= end) {
            const ElfW(Nhdr) *note = (const ElfW(Nhdr) *)p;
            const unsigned char *name = p + sizeof(ElfW(Nhdr));
            const unsigned char *desc = name + ((note->n_namesz + 3) & ~3u);
            const unsigned char *next = desc + ((note->n_descsz + 3) & ~3u);
            if (next > end) break;
            if (note->n_type == NT_GNU_BUILD_ID && note->n_namesz == 4 && memcmp(name, "GNU", 4) == 0) {
                size_t n = note->n_descsz < search->capacity ? note->n_descsz : search->capacity;
                memcpy(search->out, desc, n);
                search->found = n;
                return 1;
            }
            p = next;
        }
    }
    return 1;   /* only the executable */
}

size_t ns_executable_build_id(unsigned char *out, size_t capacity) {
    struct build_id_search search = { out, capacity, 0 };
    dl_iterate_phdr(visit, &search);
    return search.found;
}
#else
size_t ns_executable_build_id(unsigned char *out, size_t capacity) {
    (void)out; (void)capacity;
    return 0;
}
#endif
