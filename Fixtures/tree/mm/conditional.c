// SPDX-License-Identifier: GPL-2.0
/*
 * Shapes: the call evaluated only sometimes inside its statement, and a
 * function whose unlock differs between configurations.
 */
#include <linux/mm.h>
#include <linux/mmu_notifier.h>

int clear_if_young(struct vm_area_struct *vma, pmd_t *pmd, unsigned long addr)
{
	spinlock_t *ptl;
	pte_t *pte;
	int cleared;

	pte = pte_offset_map_lock(vma->vm_mm, pmd, addr, &ptl);
	cleared = pte_young(*pte) && pte_present(ptep_clear_flush_notify(vma, addr, pte));
	pte_unmap_unlock(pte, ptl);
	return cleared;
}

void clear_per_config(struct vm_area_struct *vma, pmd_t *pmd,
		      unsigned long addr)
{
	spinlock_t *ptl;
	pte_t *pte;

	pte = pte_offset_map_lock(vma->vm_mm, pmd, addr, &ptl);
	ptep_clear_flush_notify(vma, addr, pte);
#ifdef CONFIG_FIXTURE_NEVER_SET
	vma->vm_flags |= VM_LOCKED;
	spin_unlock(ptl);
	return;
#endif
	pte_unmap_unlock(pte, ptl);
}
