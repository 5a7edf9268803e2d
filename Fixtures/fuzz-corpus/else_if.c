// SPDX-License-Identifier: GPL-2.0
/* Shape: `else if (macro(...)) referenced++;` with the count used later. */
#include <linux/mm.h>
#include <linux/mmu_notifier.h>

int count_referenced(struct vm_area_struct *vma, pmd_t *pmd,
		     unsigned long address, int *mapcount)
{
	spinlock_t *ptl;
	pte_t *pte;
	int referenced = 0;

	pte = pte_offset_map_lock(vma->vm_mm, pmd, address, &ptl);
	if (vma->vm_flags & VM_LOCKED)
		*mapcount = 0;
	else if (ptep_clear_flush_young_notify(vma, address, pte))
		referenced++;
	(*mapcount)--;
	pte_unmap_unlock(pte, ptl);
	return referenced;
}
