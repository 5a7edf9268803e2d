/* A machine header of one of otherarch's boards. Not kernel code. */
#ifndef __MACH_BOARD_H
#define __MACH_BOARD_H
#define BOARD_IRQS	32
#endif
