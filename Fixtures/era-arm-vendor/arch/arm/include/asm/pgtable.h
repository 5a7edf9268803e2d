#ifndef _ASMARM_PGTABLE_H
#define _ASMARM_PGTABLE_H

#include <asm/memory.h>
#include <asm/mach-types.h>
#include <plat/io.h>

typedef unsigned long pteval_t;
typedef struct { pteval_t pte; } pte_t;

static inline int board_is_fooboard(void)
{
	return machine_is_fooboard() && FOO_IO_BASE != 0;
}

#endif
