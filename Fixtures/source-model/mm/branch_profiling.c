// SPDX-License-Identifier: GPL-2.0
/*
 * Shape: the branch-profiling likely() (a statement expression with a
 * local and a static of its own, both assigned) between the op and the
 * unlock.
 *
 * Expected: convert. The macro's own locals are not the function's: the
 * notifier's arguments are only read.
 */
#define CONFIG_FIXTURE_BRANCH_PROFILING 1
#include <linux/mm.h>
#include <linux/mmu_notifier.h>

int clear_profiled(struct vm_area_struct *vma, pmd_t *pmd, unsigned long addr)
{
	spinlock_t *ptl;
	pte_t *pte;
	int present = 0;

	pte = pte_offset_map_lock(vma->vm_mm, pmd, addr, &ptl);
	ptep_clear_flush_notify(vma, addr, pte);
	if (likely(vma->vm_start <= addr))
		present = 1;
	pte_unmap_unlock(pte, ptl);
	return present;
}
