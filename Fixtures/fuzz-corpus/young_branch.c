// SPDX-License-Identifier: GPL-2.0
/* Shape: the young result decides a branch before the unlock. */
#include <linux/mm.h>
#include <linux/mmu_notifier.h>

int referenced_or_skip(struct vm_area_struct *vma, pmd_t *pmd,
		       unsigned long address)
{
	spinlock_t *ptl;
	pte_t *pte;
	int ret = 0;

	pte = pte_offset_map_lock(vma->vm_mm, pmd, address, &ptl);
	if (ptep_clear_flush_young_notify(vma, address, pte))
		goto out_unmap;
	*pte = pte_mkold(*pte);
	ret = 1;
out_unmap:
	pte_unmap_unlock(pte, ptl);
	return ret;
}
