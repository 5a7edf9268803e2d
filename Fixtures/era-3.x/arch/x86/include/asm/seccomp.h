#ifndef _ASM_X86_SECCOMP_H
#define _ASM_X86_SECCOMP_H

#include <asm/unistd.h>
#ifdef CONFIG_X86_64
#include <asm/unistd_32_ia32.h>
#define __NR_seccomp_read_32 __NR_ia32_read
#endif
#define __NR_seccomp_read __NR_read

static inline int seccomp_allowed(int nr)
{
	return nr == __NR_seccomp_read || nr == __NR_seccomp_read_32;
}

#endif
