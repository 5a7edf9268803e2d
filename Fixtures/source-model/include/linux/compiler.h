/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Branch hints and assertions in the shapes kernel headers give them: a
 * builtin around the condition, a do/while statement, and the branch-
 * profiling form (a statement expression with locals of its own).
 */
#ifndef _LINUX_COMPILER_H
#define _LINUX_COMPILER_H

#ifdef CONFIG_FIXTURE_BRANCH_PROFILING
struct branch_data { int correct, incorrect; };
void ftrace_likely_update(struct branch_data *f, int val, int expect);
#define likely(x)	({					\
	int ______r;						\
	static struct branch_data ______f;			\
	______r = __builtin_expect(!!(x), 1);			\
	ftrace_likely_update(&______f, ______r, 1);			\
	______r;						\
})
#else
#define likely(x)	__builtin_expect(!!(x), 1)
#endif
#define unlikely(x)	__builtin_expect(!!(x), 0)

void do_bug(void) __attribute__((noreturn));
#define BUG()		do_bug()
#define BUG_ON(condition)	do { if (unlikely(condition)) BUG(); } while (0)
#define VM_BUG_ON(cond)		BUG_ON(cond)

#endif /* _LINUX_COMPILER_H */
