/* Zones as the configuration has them; ZONES_SHIFT sized from bounds.h. */
#ifndef _LINUX_MMZONE_H
#define _LINUX_MMZONE_H

#ifndef __GENERATING_BOUNDS_H
#include <generated/bounds.h>
#endif

enum zone_type {
#ifdef CONFIG_ZONE_DMA
	ZONE_DMA,
#endif
#ifdef CONFIG_ZONE_DMA32
	ZONE_DMA32,
#endif
	ZONE_NORMAL,
#ifdef CONFIG_HIGHMEM
	ZONE_HIGHMEM,
#endif
	ZONE_MOVABLE,
	__MAX_NR_ZONES
};

enum pageflags {
	PG_locked,
	PG_referenced,
	PG_dirty,
#ifdef CONFIG_ARCH_USES_PG_UNCACHED
	PG_uncached,
#endif
	__NR_PAGEFLAGS
};

#ifndef __GENERATING_BOUNDS_H

#if MAX_NR_ZONES < 2
#define ZONES_SHIFT 0
#elif MAX_NR_ZONES <= 2
#define ZONES_SHIFT 1
#elif MAX_NR_ZONES <= 4
#define ZONES_SHIFT 2
#else
#error ZONES_SHIFT -- too many zones configured adjust calculation
#endif

/* bounds.h must count what this configuration's enum counts. */
typedef char __zone_count_matches_bounds[MAX_NR_ZONES == __MAX_NR_ZONES ? 1 : -1];
typedef char __page_flag_count_matches_bounds[NR_PAGEFLAGS == __NR_PAGEFLAGS ? 1 : -1];

struct zone {
	unsigned long lowmem_reserve[MAX_NR_ZONES];
};

#endif /* !__GENERATING_BOUNDS_H */

#endif
