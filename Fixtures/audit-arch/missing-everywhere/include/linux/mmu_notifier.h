/*
 * One notifier function, 2.6.27-style, for the audit-arch fixture.
 * Not kernel code.
 */
#ifndef _LINUX_MMU_NOTIFIER_H
#define _LINUX_MMU_NOTIFIER_H

#include <linux/mm.h>

struct mmu_notifier;

struct mmu_notifier_ops {
	void (*invalidate_page)(struct mmu_notifier *mn, struct mm_struct *mm,
				unsigned long address);
};

#ifdef CONFIG_MMU_NOTIFIER

int mm_has_notifiers(struct mm_struct *mm);
void __mmu_notifier_invalidate_page(struct mm_struct *mm,
				    unsigned long address);

static inline void mmu_notifier_invalidate_page(struct mm_struct *mm,
						unsigned long address)
{
	if (mm_has_notifiers(mm))
		__mmu_notifier_invalidate_page(mm, address);
}

#else /* CONFIG_MMU_NOTIFIER */

static inline void mmu_notifier_invalidate_page(struct mm_struct *mm,
						unsigned long address)
{
}

#endif /* CONFIG_MMU_NOTIFIER */

#endif /* _LINUX_MMU_NOTIFIER_H */
