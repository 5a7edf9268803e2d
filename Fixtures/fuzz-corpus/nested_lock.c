// SPDX-License-Identifier: GPL-2.0
/* Shape: another lock is dropped between the call and the PT unlock. */
#include <linux/mm.h>
#include <linux/mmu_notifier.h>

void clear_under_two_locks(struct vm_area_struct *vma, pmd_t *pmd,
			   unsigned long addr, spinlock_t *stats_lock)
{
	spinlock_t *ptl;
	pte_t *pte;

	pte = pte_offset_map_lock(vma->vm_mm, pmd, addr, &ptl);
	spin_lock(stats_lock);
	ptep_clear_flush_notify(vma, addr, pte);
	spin_unlock(stats_lock);
	vma->vm_mm->total_vm--;
	pte_unmap_unlock(pte, ptl);
}
