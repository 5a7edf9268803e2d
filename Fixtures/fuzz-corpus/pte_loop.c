// SPDX-License-Identifier: GPL-2.0
/* Shape: calls in a loop over ptes, one unlock after the loop. */
#include <linux/mm.h>
#include <linux/mmu_notifier.h>

int age_pte_range(struct vm_area_struct *vma, pmd_t *pmd,
		  unsigned long start, unsigned long end)
{
	spinlock_t *ptl;
	pte_t *pte, *orig_pte;
	unsigned long addr;
	int young = 0;

	orig_pte = pte = pte_offset_map_lock(vma->vm_mm, pmd, start, &ptl);
	for (addr = start; addr != end; pte++, addr += PAGE_SIZE) {
		if (!pte_present(*pte))
			continue;
		ptep_clear_flush_notify(vma, addr, pte);
		young++;
	}
	pte_unmap_unlock(orig_pte, ptl);
	return young;
}
