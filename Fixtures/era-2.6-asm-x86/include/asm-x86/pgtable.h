#ifndef _ASM_X86_PGTABLE_H
#define _ASM_X86_PGTABLE_H

#include <asm/smp.h>

typedef struct { unsigned long pte; } pte_t;

#endif
