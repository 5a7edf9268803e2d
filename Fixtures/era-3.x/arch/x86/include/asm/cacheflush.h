#ifndef _ASM_X86_CACHEFLUSH_H
#define _ASM_X86_CACHEFLUSH_H

#include <linux/mmzone.h>

/* PG_uncached exists when x86's PAT is configured (a def_bool chain). */
#ifdef CONFIG_X86_PAT
static inline int page_uncached_bit(void)
{
	return PG_uncached;
}
#endif

#endif
