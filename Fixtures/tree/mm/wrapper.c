// SPDX-License-Identifier: GPL-2.0
/* Shape: a use through a local wrapper macro. */
#include <linux/mm.h>
#include <linux/mmu_notifier.h>

#define clear_pte_notify(vma, addr, ptep) \
	ptep_clear_flush_notify(vma, (addr) & PAGE_MASK, ptep)

void clear_through_wrapper(struct vm_area_struct *vma, pmd_t *pmd,
			   unsigned long addr)
{
	spinlock_t *ptl;
	pte_t *pte;

	pte = pte_offset_map_lock(vma->vm_mm, pmd, addr, &ptl);
	clear_pte_notify(vma, addr, pte);
	pte_unmap_unlock(pte, ptl);
}
