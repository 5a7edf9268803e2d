#ifndef __PLAT_FOO_IO_H
#define __PLAT_FOO_IO_H

#define FOO_IO_BASE	0xf0000000UL

#endif
