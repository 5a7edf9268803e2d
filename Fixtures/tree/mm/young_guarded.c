// SPDX-License-Identifier: GPL-2.0
/* Shape: a young count in one branch, the unlock after both branches. */
#include <linux/mm.h>
#include <linux/mmu_notifier.h>

int count_unless_locked(struct vm_area_struct *vma, pmd_t *pmd,
			unsigned long address)
{
	spinlock_t *ptl;
	pte_t *pte;
	int referenced = 0;

	pte = pte_offset_map_lock(vma->vm_mm, pmd, address, &ptl);
	if (vma->vm_flags & VM_LOCKED) {
		vma->vm_mm->total_vm--;
	} else {
		if (ptep_clear_flush_young_notify(vma, address, pte))
			referenced++;
	}
	pte_unmap_unlock(pte, ptl);
	return referenced;
}
