// SPDX-License-Identifier: GPL-2.0
/* Shape: the pte is re-pointed to a new page before the unlock. */
#include <linux/mm.h>
#include <linux/mmu_notifier.h>

int replace_pte_page(struct vm_area_struct *vma, pmd_t *pmd,
		     unsigned long addr, struct page *new_page)
{
	struct mm_struct *mm = vma->vm_mm;
	spinlock_t *ptl;
	pte_t *ptep;

	ptep = pte_offset_map_lock(mm, pmd, addr, &ptl);
	get_page(new_page);
	page_add_anon_rmap(new_page, vma, addr);
	ptep_clear_flush_notify(vma, addr, ptep);
	set_pte_at(mm, addr, ptep, mk_pte(new_page, vma->vm_page_prot));
	update_mmu_cache(vma, addr, ptep);
	pte_unmap_unlock(ptep, ptl);
	return 0;
}
