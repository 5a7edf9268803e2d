// SPDX-License-Identifier: GPL-2.0
/* Shape: the call inside one branch of an if/else; one unlock after both. */
#include <linux/mm.h>
#include <linux/mmu_notifier.h>

void clear_if_present(struct vm_area_struct *vma, pmd_t *pmd,
		      unsigned long addr)
{
	spinlock_t *ptl;
	pte_t *pte;

	pte = pte_offset_map_lock(vma->vm_mm, pmd, addr, &ptl);
	if (pte_present(*pte)) {
		ptep_clear_flush_notify(vma, addr, pte);
		vma->vm_mm->total_vm--;
	} else {
		vma->vm_flags |= VM_LOCKED;
	}
	pte_unmap_unlock(pte, ptl);
}
