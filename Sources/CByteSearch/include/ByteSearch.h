#ifndef NOTIFYSPLIT_BYTE_SEARCH_H
#define NOTIFYSPLIT_BYTE_SEARCH_H

#include <stddef.h>

/// The first position p, from <= p and p + length <= count, where
/// bytes[p + offset1] == byte1 and bytes[p + offset2] == byte2; count when
/// there is none. Both offsets are below length. A candidate only: the
/// caller compares the whole needle. Vectorised (16 or 32 bytes a step):
/// two rare bytes of a needle at their distance rule out almost every
/// position without a branch, as ripgrep's memchr does.
size_t ns_find_pair(const unsigned char *bytes, size_t count, size_t from, size_t length,
                    size_t offset1, unsigned char byte1, size_t offset2, unsigned char byte2);

#endif
