#ifndef _ASM_X86_SMP_H
#define _ASM_X86_SMP_H

/* From the sub-architecture directory arch/x86/Makefile puts on the path. */
#include <mach_apicdef.h>

static inline int read_apic_id(unsigned int reg)
{
	return GET_APIC_ID(reg);
}

#endif
