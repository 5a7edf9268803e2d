// SPDX-License-Identifier: GPL-2.0
/* Shape: a non-UTF-8 byte (Latin-1 "\xe9") in a comment before the call: café. */
#include <linux/mm.h>
#include <linux/mmu_notifier.h>

void latin1_clear(struct vm_area_struct *vma, pmd_t *pmd, unsigned long addr)
{
	spinlock_t *ptl;
	pte_t *pte;

	pte = pte_offset_map_lock(vma->vm_mm, pmd, addr, &ptl);
	ptep_clear_flush_notify(vma, addr, pte);
	pte_unmap_unlock(pte, ptl);
}
