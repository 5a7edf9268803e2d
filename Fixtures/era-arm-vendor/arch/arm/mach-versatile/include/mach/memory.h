#ifndef __ASM_ARCH_MEMORY_H
#define __ASM_ARCH_MEMORY_H

#error another board's header: the .config chooses mach-fooboard

#endif
