#ifndef _ASM_X86_THREAD_INFO_H
#define _ASM_X86_THREAD_INFO_H

#include <asm/thread_info_types.h>
#include <asm/asm-offsets.h>

/* What arch/x86/kernel/asm-offsets.c computes for this configuration. */
typedef char __ti_flags_offset_matches[TI_flags == sizeof(unsigned long) ? 1 : -1];

#endif
