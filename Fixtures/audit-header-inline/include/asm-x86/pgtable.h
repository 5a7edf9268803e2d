#ifndef _ASM_X86_PGTABLE_H
#define _ASM_X86_PGTABLE_H

typedef struct { unsigned long pte; } pte_t;
typedef struct { unsigned long pmd; } pmd_t;

#endif
