#ifndef _LINUX_POLL_H
#define _LINUX_POLL_H

#include <uapi/linux/poll.h>

static inline unsigned int poll_readable(void)
{
	return POLLIN | POLLOUT;
}

#endif
