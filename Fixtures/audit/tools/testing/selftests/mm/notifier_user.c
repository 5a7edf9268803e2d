// SPDX-License-Identifier: GPL-2.0
/*
 * A user-space test program, as the kernel keeps under tools/: built by its
 * own Makefile against the C library, never by kbuild into the kernel. It
 * names a notifier function the way a selftest's stub or a comment-like
 * wrapper would.
 *
 * Expected: not audited and not a problem (exit status stays 0): the report
 * notes "tools/testing/selftests/mm/notifier_user.c is not audited: a
 * user-space program under tools/, not kernel code"; no call of it is
 * listed. Parsing it with the kernel's flags would fail on <stdio.h> and
 * make the audit incomplete for a file that is no kernel code.
 */
#include <stdio.h>

struct mm_struct;

static void mmu_notifier_invalidate_page(struct mm_struct *mm, unsigned long address)
{
	printf("%p %lu\n", (void *)mm, address);
}

int main(void)
{
	mmu_notifier_invalidate_page(NULL, 0);
	return 0;
}
