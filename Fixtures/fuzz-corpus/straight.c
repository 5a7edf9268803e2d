// SPDX-License-Identifier: GPL-2.0
/* Shape: the call in straight-line code right before pte_unmap_unlock(). */
#include <linux/mm.h>
#include <linux/mmu_notifier.h>

int zap_one_pte(struct vm_area_struct *vma, pmd_t *pmd, unsigned long addr)
{
	struct mm_struct *mm = vma->vm_mm;
	spinlock_t *ptl;
	pte_t *pte, entry;

	pte = pte_offset_map_lock(mm, pmd, addr, &ptl);
	entry = ptep_clear_flush_notify(vma, addr, pte);
	mm->total_vm--;
	pte_unmap_unlock(pte, ptl);
	return pte_present(entry);
}
