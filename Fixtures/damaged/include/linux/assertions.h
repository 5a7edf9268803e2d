/*
 * Two inline helpers whose bodies clang rejects (a negative array size:
 * the kernel's BUILD_BUG_ON on a condition gcc only folds after
 * inlining). An error inside a body removes nothing outside it.
 */
#ifndef _LINUX_ASSERTIONS_H
#define _LINUX_ASSERTIONS_H

#define ASSERT_FOLDED(cond)	((void)sizeof(char[1 - 2 * !!(cond)]))

static inline unsigned long offset_unused(unsigned long offset)
{
	ASSERT_FOLDED(!__builtin_constant_p(offset));
	return offset;
}

static inline unsigned long offset_used(unsigned long offset)
{
	ASSERT_FOLDED(!__builtin_constant_p(offset));
	return offset;
}

/* Reaches offset_used() through another header function. */
static inline unsigned long offset_via(unsigned long offset)
{
	return offset_used(offset);
}

#endif
