/*
 * Shapes of what is installed in the cleared pte before the unlock: swap,
 * migration and file-offset entries (not present: no secondary MMU can
 * map them), the cleared value restored, and a new page.
 */
#include <linux/mm.h>
#include <linux/mmu_notifier.h>

/*
 * Expected: convert. A swap entry is installed: a non-present pte, not a
 * re-point. The page reference is dropped after the unlock, after the
 * notifier.
 */
int unmap_to_swap(struct page *page, struct vm_area_struct *vma,
		  unsigned long address)
{
	struct mm_struct *mm = vma->vm_mm;
	pte_t *pte;
	pte_t pteval;
	spinlock_t *ptl;
	swp_entry_t entry;

	pte = page_check_address(page, mm, address, &ptl);
	if (!pte)
		return 0;
	pteval = ptep_clear_flush_notify(vma, address, pte);
	if (pte_dirty(pteval))
		set_page_dirty(page);
	entry.val = page->index;
	set_pte_at(mm, address, pte, swp_entry_to_pte(entry));
	page_remove_rmap(page);
	pte_unmap_unlock(pte, ptl);
	page_cache_release(page);
	return 1;
}

/*
 * Expected: convert. A migration entry (a swap-type entry made from the
 * page) is not present either.
 */
int unmap_to_migration(struct page *page, struct vm_area_struct *vma,
		       unsigned long address)
{
	struct mm_struct *mm = vma->vm_mm;
	pte_t *pte;
	spinlock_t *ptl;

	pte = page_check_address(page, mm, address, &ptl);
	if (!pte)
		return 0;
	ptep_clear_flush_notify(vma, address, pte);
	set_pte_at(mm, address, pte,
		   swp_entry_to_pte(make_migration_entry(page, 0)));
	pte_unmap_unlock(pte, ptl);
	return 1;
}

/*
 * Expected: convert. A file-offset entry (pgoff_to_pte(), a macro making a
 * pte from bits) is not present.
 */
int unmap_to_file_offset(struct page *page, struct vm_area_struct *vma,
			 unsigned long address)
{
	struct mm_struct *mm = vma->vm_mm;
	pte_t *pte;
	spinlock_t *ptl;

	pte = page_check_address(page, mm, address, &ptl);
	if (!pte)
		return 0;
	ptep_clear_flush_notify(vma, address, pte);
	if (page->index != 0)
		set_pte_at(mm, address, pte, pgoff_to_pte(page->index));
	pte_unmap_unlock(pte, ptl);
	return 1;
}

/*
 * Expected: convert. The cleared value, aged, is put back: the same page.
 */
int clear_and_restore(struct page *page, struct vm_area_struct *vma,
		      unsigned long address)
{
	struct mm_struct *mm = vma->vm_mm;
	pte_t *pte;
	pte_t pteval;
	spinlock_t *ptl;

	pte = page_check_address(page, mm, address, &ptl);
	if (!pte)
		return 0;
	pteval = ptep_clear_flush_notify(vma, address, pte);
	set_pte_at(mm, address, pte, pte_mkold(pteval));
	pte_unmap_unlock(pte, ptl);
	return 1;
}

/*
 * Expected: refused (pte-repointed). The new value maps new_page, though
 * it carries the old pte's protection bits: the secondary TLB must be
 * invalidated while the lock still keeps the old page mapped nowhere else.
 */
int replace_with_copy(struct page *page, struct page *new_page,
		      struct vm_area_struct *vma, unsigned long address)
{
	struct mm_struct *mm = vma->vm_mm;
	pte_t *pte;
	pte_t pteval;
	spinlock_t *ptl;

	pte = page_check_address(page, mm, address, &ptl);
	if (!pte)
		return 0;
	pteval = ptep_clear_flush_notify(vma, address, pte);
	set_pte_at(mm, address, pte, mk_pte(new_page, pte_pgprot(pteval)));
	pte_unmap_unlock(pte, ptl);
	return 1;
}

/*
 * Expected: convert. The young result only counts; before the unlock the
 * pte is cleared with ptep_clear_flush() and that same value written back:
 * the same mapping, not a re-point.
 */
int age_and_rewrite(struct page *page, struct vm_area_struct *vma,
		    unsigned long address)
{
	struct mm_struct *mm = vma->vm_mm;
	pte_t *pte;
	pte_t pteval;
	spinlock_t *ptl;
	int referenced = 0;

	pte = page_check_address(page, mm, address, &ptl);
	if (!pte)
		return 0;
	if (ptep_clear_flush_young_notify(vma, address, pte))
		referenced++;
	pteval = ptep_clear_flush(vma, address, pte);
	set_pte_at(mm, address, pte, pteval);
	pte_unmap_unlock(pte, ptl);
	return referenced;
}
