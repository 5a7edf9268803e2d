// SPDX-License-Identifier: GPL-2.0
/* Shape: an early `goto out_unmap` reaches the unlock without the call. */
#include <linux/mm.h>
#include <linux/mmu_notifier.h>

int try_to_clear(struct vm_area_struct *vma, pmd_t *pmd, unsigned long address)
{
	spinlock_t *ptl;
	pte_t *pte;
	int ret = 0;

	pte = pte_offset_map_lock(vma->vm_mm, pmd, address, &ptl);
	if (pte_none(*pte))
		goto out_unmap;
	if (vma->vm_flags & VM_LOCKED) {
		ret = -1;
		goto out_unmap;
	}
	ptep_clear_flush_notify(vma, address, pte);
	ret = 1;
out_unmap:
	pte_unmap_unlock(pte, ptl);
	return ret;
}
