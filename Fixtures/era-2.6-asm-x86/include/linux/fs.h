#ifndef _LINUX_FS_H
#define _LINUX_FS_H

struct address_space;

/* Defined by mm/filemap_xip.c, which only CONFIG_FS_XIP builds. */
#ifdef CONFIG_FS_XIP
extern int xip_truncate_page(struct address_space *mapping, long from);
#else
static inline int xip_truncate_page(struct address_space *mapping, long from)
{
	return 0;
}
#endif

#endif
