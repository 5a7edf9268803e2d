#ifndef _ASM_X86_UNISTD_H
#define _ASM_X86_UNISTD_H

#ifdef CONFIG_X86_32
# include <asm/unistd_32.h>
#else
# include <asm/unistd_64.h>
#endif

#endif
