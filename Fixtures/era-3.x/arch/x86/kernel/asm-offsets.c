/*
 * Offsets the assembly code needs, handed to kbuild as DEFINE()s; the
 * 64-bit ones are in a .c file of their own, included from here.
 */
#define COMPILE_OFFSETS

#include <asm/thread_info_types.h>
#include <linux/kbuild.h>

#ifdef CONFIG_X86_32
# include "asm-offsets_32.c"
#else
# include "asm-offsets_64.c"
#endif
