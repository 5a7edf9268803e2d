#ifndef _LINUX_MMU_NOTIFIER_H
#define _LINUX_MMU_NOTIFIER_H

typedef struct { unsigned long pte; } pte_t;
struct mm_struct { int users; };
struct vm_area_struct { struct mm_struct *vm_mm; };
pte_t ptep_clear_flush(struct vm_area_struct *vma, unsigned long address,
		       pte_t *ptep);
void mmu_notifier_invalidate_range(struct mm_struct *mm, unsigned long start,
				   unsigned long end);

#define ptep_clear_flush_notify(__vma, __address, __ptep)		\
({									\
	pte_t ___pte;							\
	___pte = ptep_clear_flush(__vma, __address, __ptep);		\
	mmu_notifier_invalidate_range((__vma)->vm_mm, __address,	\
				      (__address) + 4096);		\
	___pte;								\
})

#endif
