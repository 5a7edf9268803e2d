/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LINUX_MMU_NOTIFIER_H
#define _LINUX_MMU_NOTIFIER_H

#include <linux/mm.h>

#ifdef CONFIG_MMU_NOTIFIER
void mmu_notifier_invalidate_range(struct mm_struct *mm, unsigned long start,
				   unsigned long end);

/* The plain operation, then the secondary MMUs, under the caller's lock. */
#define ptep_clear_flush_notify(__vma, __address, __ptep)		\
({									\
	unsigned long ___addr = __address & PAGE_MASK;			\
	struct mm_struct *___mm = (__vma)->vm_mm;			\
	pte_t ___pte;							\
									\
	___pte = ptep_clear_flush(__vma, __address, __ptep);		\
	mmu_notifier_invalidate_range(___mm, ___addr,			\
					___addr + PAGE_SIZE);		\
	___pte;								\
})
#else
#define ptep_clear_flush_notify ptep_clear_flush
#endif /* CONFIG_MMU_NOTIFIER */

#endif /* _LINUX_MMU_NOTIFIER_H */
