/* Another architecture's page.h. Not kernel code. */
#ifndef _ASM_OTHERARCH_PAGE_H
#define _ASM_OTHERARCH_PAGE_H
#define PAGE_SHIFT	14
#endif
