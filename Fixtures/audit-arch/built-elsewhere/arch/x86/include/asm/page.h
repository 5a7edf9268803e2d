/* The configuration's architecture (x86) has this header. Not kernel code. */
#ifndef _ASM_X86_PAGE_H
#define _ASM_X86_PAGE_H
#define PAGE_SHIFT	12
#endif
