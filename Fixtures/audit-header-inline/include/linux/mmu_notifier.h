/*
 * The notifier interface of a 2.6.27-era tree, as the audit learns it:
 * the ops' callbacks, the inline mmu_notifier_*() functions that hand an
 * event to them, and the notify macros. Not kernel code.
 */
#ifndef _LINUX_MMU_NOTIFIER_H
#define _LINUX_MMU_NOTIFIER_H

#include <linux/mm.h>

struct mmu_notifier;

struct mmu_notifier_ops {
	void (*invalidate_page)(struct mmu_notifier *mn, struct mm_struct *mm,
				unsigned long address);
	int (*clear_flush_young)(struct mmu_notifier *mn,
				 struct mm_struct *mm, unsigned long address);
};

#ifdef CONFIG_MMU_NOTIFIER

int mm_has_notifiers(struct mm_struct *mm);
void __mmu_notifier_invalidate_page(struct mm_struct *mm,
				    unsigned long address);
int __mmu_notifier_clear_flush_young(struct mm_struct *mm,
				     unsigned long address);

static inline void mmu_notifier_invalidate_page(struct mm_struct *mm,
						unsigned long address)
{
	if (mm_has_notifiers(mm))
		__mmu_notifier_invalidate_page(mm, address);
}

static inline int mmu_notifier_clear_flush_young(struct mm_struct *mm,
						 unsigned long address)
{
	if (mm_has_notifiers(mm))
		return __mmu_notifier_clear_flush_young(mm, address);
	return 0;
}

#define ptep_clear_flush_notify(__vma, __address, __ptep)		\
({									\
	pte_t __pte;							\
	struct vm_area_struct *___vma = __vma;				\
	unsigned long ___address = __address;				\
	__pte = ptep_clear_flush(___vma, ___address, __ptep);		\
	mmu_notifier_invalidate_page(___vma->vm_mm, ___address);	\
	__pte;								\
})

#else /* CONFIG_MMU_NOTIFIER */

static inline void mmu_notifier_invalidate_page(struct mm_struct *mm,
						unsigned long address)
{
}

static inline int mmu_notifier_clear_flush_young(struct mm_struct *mm,
						 unsigned long address)
{
	return 0;
}

#define ptep_clear_flush_notify ptep_clear_flush

#endif /* CONFIG_MMU_NOTIFIER */

#endif /* _LINUX_MMU_NOTIFIER_H */
