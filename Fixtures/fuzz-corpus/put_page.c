// SPDX-License-Identifier: GPL-2.0
/* Shape: the page reference is dropped between the call and the unlock. */
#include <linux/mm.h>
#include <linux/mmu_notifier.h>

void unmap_and_release(struct vm_area_struct *vma, pmd_t *pmd,
		       unsigned long address)
{
	struct page *page;
	spinlock_t *ptl;
	pte_t *pte, pteval;

	pte = pte_offset_map_lock(vma->vm_mm, pmd, address, &ptl);
	page = vm_normal_page(vma, address, *pte);
	pteval = ptep_clear_flush_notify(vma, address, pte);
	page_remove_rmap(page, vma);
	page_cache_release(page);
	pte_unmap_unlock(pte, ptl);
	(void)pteval;
}

void unmap_folio_pte(struct vm_area_struct *vma, pmd_t *pmd,
		     unsigned long address, struct folio *folio)
{
	spinlock_t *ptl;
	pte_t *pte;

	pte = pte_offset_map_lock(vma->vm_mm, pmd, address, &ptl);
	ptep_clear_flush_notify(vma, address, pte);
	folio_put(folio);
	pte_unmap_unlock(pte, ptl);
}
