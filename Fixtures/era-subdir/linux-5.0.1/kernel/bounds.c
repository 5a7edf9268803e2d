/*
 * The constants the preprocessor needs but only the compiler can count:
 * kbuild turns these DEFINE()s into include/generated/bounds.h.
 */
#define __GENERATING_BOUNDS_H
#include <linux/mmzone.h>
#include <linux/kbuild.h>

void foo(void)
{
	DEFINE(MAX_NR_ZONES, __MAX_NR_ZONES);
	DEFINE(NR_PAGEFLAGS, __NR_PAGEFLAGS);
}
