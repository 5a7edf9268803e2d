// SPDX-License-Identifier: GPL-2.0
/*
 * Shape: a loop header from a macro defined in this file, and a goto out
 * of the loop that bypasses the young call and reaches the unlock.
 *
 * Expected: convert-with-flag. The loop's condition exits, so the call is
 * reachable; the goto reaches the unlock without the plain op, so the
 * notifier runs under a flag (never a plain convert: the young result would
 * then be ORed in on a path where the op never ran).
 */
#include <linux/mm.h>
#include <linux/mmu_notifier.h>

#define for_each_idx(i, n) for (i = 0; i < (n); i++)

int age_after_scan(struct vm_area_struct *vma, pmd_t *pmd, unsigned long addr, int n)
{
	spinlock_t *ptl;
	pte_t *pte;
	int i, young = 0;

	pte = pte_offset_map_lock(vma->vm_mm, pmd, addr, &ptl);
	for_each_idx(i, n) {
		if (pte_none(pte[i]))
			goto out;
	}
	young = ptep_clear_flush_young_notify(vma, addr, pte);
out:
	pte_unmap_unlock(pte, ptl);
	return young;
}

/*
 * Shape: an iterator with no init part, written in this file, after the
 * unlock.
 *
 * Expected: convert. The loop lies after the unlock and on no path from
 * the call to it.
 */
#define for_each_from(p, end) for (; (p) != (end); (p)++)

void clear_then_scan(struct vm_area_struct *vma, pmd_t *pmd, unsigned long addr,
		     int *from, int *to)
{
	spinlock_t *ptl;
	pte_t *pte;

	pte = pte_offset_map_lock(vma->vm_mm, pmd, addr, &ptl);
	ptep_clear_flush_notify(vma, addr, pte);
	pte_unmap_unlock(pte, ptl);
	for_each_from(from, to)
		*from = 0;
}
