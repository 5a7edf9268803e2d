// SPDX-License-Identifier: GPL-2.0
/* Shape: a use under an #ifdef the default configuration leaves off. */
#include <linux/mm.h>
#include <linux/mmu_notifier.h>

void maybe_clear(struct vm_area_struct *vma, pmd_t *pmd, unsigned long addr)
{
	spinlock_t *ptl;
	pte_t *pte;

	pte = pte_offset_map_lock(vma->vm_mm, pmd, addr, &ptl);
#ifdef CONFIG_FIXTURE_NEVER_SET
	ptep_clear_flush_notify(vma, addr, pte);
#endif
	pte_unmap_unlock(pte, ptl);
}
