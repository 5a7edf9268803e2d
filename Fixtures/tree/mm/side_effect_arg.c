// SPDX-License-Identifier: GPL-2.0
/* Shape: an argument with a side effect, evaluated once by the macro. */
#include <linux/mm.h>
#include <linux/mmu_notifier.h>

unsigned long clear_and_advance(struct vm_area_struct *vma, pmd_t *pmd,
				unsigned long addr)
{
	spinlock_t *ptl;
	pte_t *pte;

	pte = pte_offset_map_lock(vma->vm_mm, pmd, addr, &ptl);
	ptep_clear_flush_notify(vma, addr++, pte);
	pte_unmap_unlock(pte, ptl);
	return addr;
}
