#ifndef __ASM_GENERIC_POLL_H
#define __ASM_GENERIC_POLL_H

#define POLLIN		0x0001
#define POLLOUT		0x0004

#endif
