/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LINUX_MMU_NOTIFIER_H
#define _LINUX_MMU_NOTIFIER_H

#include <linux/mm.h>

#ifdef CONFIG_MMU_NOTIFIER

/*
 * Secondary MMUs (KVM, device page tables) mirror the primary page tables
 * and must drop their copy of a pte whenever the primary one is cleared.
 */
void mmu_notifier_invalidate_range(struct mm_struct *mm, unsigned long start,
				   unsigned long end);
void mmu_notifier_invalidate_range_start(struct mm_struct *mm,
					 unsigned long start,
					 unsigned long end);
void mmu_notifier_invalidate_range_end(struct mm_struct *mm,
				       unsigned long start, unsigned long end);
int mmu_notifier_clear_flush_young(struct mm_struct *mm, unsigned long start,
				   unsigned long end);

/*
 * ptep_clear_flush_notify() and ptep_clear_flush_young_notify() do the plain
 * page-table operation and then tell the secondary MMUs, all while the
 * caller still holds the page-table lock. A notifier that may sleep cannot
 * be called there: callers are being converted to call the plain operation
 * under the lock and the notifier after the lock is dropped.
 */
#define ptep_clear_flush_young_notify(__vma, __address, __ptep)		\
({									\
	int __young;							\
	struct vm_area_struct *___vma = __vma;				\
	unsigned long ___address = __address;				\
	__young = ptep_clear_flush_young(___vma, ___address, __ptep);	\
	__young |= mmu_notifier_clear_flush_young(___vma->vm_mm,	\
						  ___address,		\
						  ___address +		\
							PAGE_SIZE);	\
	__young;							\
})

#define ptep_clear_flush_notify(__vma, __address, __ptep)		\
({									\
	unsigned long ___addr = __address & PAGE_MASK;			\
	struct mm_struct *___mm = (__vma)->vm_mm;			\
	pte_t ___pte;							\
									\
	___pte = ptep_clear_flush(__vma, __address, __ptep);		\
	mmu_notifier_invalidate_range(___mm, ___addr,			\
					___addr + PAGE_SIZE);		\
									\
	___pte;								\
})

/*
 * ptep_clear_young_notify() tests and clears the young bit without a TLB
 * flush; nothing in this tree uses it any more.
 */
#define ptep_clear_young_notify(__vma, __address, __ptep)		\
({									\
	int __young;							\
	struct vm_area_struct *___vma = __vma;				\
	unsigned long ___address = __address;				\
	__young = ptep_test_and_clear_young(___vma, ___address, __ptep);\
	__young |= mmu_notifier_clear_flush_young(___vma->vm_mm,	\
						  ___address,		\
						  ___address +		\
							PAGE_SIZE);	\
	__young;							\
})

#else /* CONFIG_MMU_NOTIFIER */

static inline void mmu_notifier_invalidate_range(struct mm_struct *mm,
						 unsigned long start,
						 unsigned long end)
{
}

#define ptep_clear_flush_young_notify ptep_clear_flush_young
#define ptep_clear_flush_notify ptep_clear_flush
#define ptep_clear_young_notify ptep_test_and_clear_young

#endif /* CONFIG_MMU_NOTIFIER */

#endif /* _LINUX_MMU_NOTIFIER_H */
