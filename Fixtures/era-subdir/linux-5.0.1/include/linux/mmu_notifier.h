/* The 2.6-era notifier macros: the notifier runs right after the plain op. */
#ifndef _LINUX_MMU_NOTIFIER_H
#define _LINUX_MMU_NOTIFIER_H

#include <linux/mm_types.h>

#ifdef CONFIG_MMU_NOTIFIER

extern void __mmu_notifier_invalidate_page(struct mm_struct *mm, unsigned long address);

static inline void mmu_notifier_invalidate_page(struct mm_struct *mm, unsigned long address)
{
	__mmu_notifier_invalidate_page(mm, address);
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

#define ptep_clear_flush_notify ptep_clear_flush

#endif /* CONFIG_MMU_NOTIFIER */

#endif /* _LINUX_MMU_NOTIFIER_H */
