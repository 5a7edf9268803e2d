// SPDX-License-Identifier: GPL-2.0
/*
 * Shape: write-protect a pte: clear it, then install the same entry made
 * read-only and clean with set_pte_at_notify(), whose expansion declares
 * locals of its own (___mm, ___address, ___pte).
 *
 * Expected: convert. The entry installed derives from the cleared pte (the
 * same page), so it is not a re-point; the notifier after
 * pte_unmap_unlock() names the function's own variables (mm, addr),
 * never the macro's ___mm.
 */
#include <linux/mm.h>
#include <linux/mmu_notifier.h>

int write_protect_one(struct vm_area_struct *vma, pmd_t *pmd, unsigned long addr)
{
	struct mm_struct *mm = vma->vm_mm;
	spinlock_t *ptl;
	pte_t *pte;
	pte_t entry;

	pte = pte_offset_map_lock(mm, pmd, addr, &ptl);
	if (!pte_write(*pte)) {
		pte_unmap_unlock(pte, ptl);
		return 0;
	}
	flush_cache_page(vma, addr, pte_pfn(*pte));
	entry = ptep_clear_flush_notify(vma, addr, pte);
	entry = pte_wrprotect(entry);
	entry = pte_mkclean(entry);
	set_pte_at_notify(mm, addr, pte, entry);
	pte_unmap_unlock(pte, ptl);
	return 1;
}
