// SPDX-License-Identifier: GPL-2.0
/* Shape: CRLF line ends throughout the file. */
#include <linux/mm.h>
#include <linux/mmu_notifier.h>

int crlf_young(struct vm_area_struct *vma, pmd_t *pmd, unsigned long addr)
{
	spinlock_t *ptl;
	pte_t *pte;
	int referenced = 0;

	pte = pte_offset_map_lock(vma->vm_mm, pmd, addr, &ptl);
	if (ptep_clear_flush_young_notify(vma, addr, pte))
		referenced++;
	pte_unmap_unlock(pte, ptl);
	return referenced;
}
