#ifndef _ASM_X86_THREAD_INFO_TYPES_H
#define _ASM_X86_THREAD_INFO_TYPES_H

struct thread_info {
	unsigned long	status;
	unsigned long	flags;
};

#endif
