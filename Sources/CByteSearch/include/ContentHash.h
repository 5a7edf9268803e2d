#ifndef NOTIFYSPLIT_CONTENT_HASH_H
#define NOTIFYSPLIT_CONTENT_HASH_H

#include <stddef.h>
#include <stdint.h>

/// MurmurHash3 x64_128 of `count` bytes: a fast 128-bit content hash for
/// the configuration cache's manifests (it tells files apart; it is no
/// defence against someone crafting collisions, which the cache, private
/// to its user, does not need). Writes the two 64-bit halves to `out`.
void ns_hash128(const void *bytes, size_t count, uint64_t seed, uint64_t out[2]);

/// The GNU build ID of the running executable (the linker's hash of its
/// contents): copies up to `capacity` bytes to `out` and returns their
/// count, or 0 when the executable has none.
size_t ns_executable_build_id(unsigned char *out, size_t capacity);

#endif
