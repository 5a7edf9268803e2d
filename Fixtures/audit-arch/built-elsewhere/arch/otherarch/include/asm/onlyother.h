/*
 * A header only otherarch provides: x86 has no asm/onlyother.h, no
 * asm-generic one and no Kbuild line for it. Not kernel code.
 */
#ifndef _ASM_OTHERARCH_ONLYOTHER_H
#define _ASM_OTHERARCH_ONLYOTHER_H
#define OTHERARCH_FLAT_ALIGN	4
#endif
