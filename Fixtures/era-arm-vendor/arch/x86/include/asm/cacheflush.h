#ifndef _ASM_X86_CACHEFLUSH_H
#define _ASM_X86_CACHEFLUSH_H

static inline void flush_cache_page(void *vma, unsigned long addr, unsigned long pfn)
{
}

#endif
