#ifndef __ASM_ARM_MEMORY_H
#define __ASM_ARM_MEMORY_H

#ifndef __LINUX_ARM_ARCH__
#error __LINUX_ARM_ARCH__ is set by arch/arm/Makefile from the CPU the .config chooses
#endif

/* The board's own memory map. */
#include <mach/memory.h>

#define PAGE_OFFSET	(PHYS_OFFSET + 0xc0000000UL)

/* An ARM configuration is a 32-bit one. */
typedef char __arm_long_is_32_bits[sizeof(long) == 4 ? 1 : -1];

#endif
