/*
 * Shapes of calls between the op and the unlock, judged by what the
 * callee does (its body in this translation unit), not by its name.
 */
#include <linux/mm.h>
#include <linux/mmu_notifier.h>

static void forget_page(struct page *page)
{
	page_remove_rmap(page);
	put_page(page);
}

static void note_dirty(struct page *page, pte_t pteval)
{
	if (pte_dirty(pteval))
		set_page_dirty(page);
}

/*
 * Expected: refused (page-reference-dropped). forget_page() drops the
 * page's reference (put_page()) before the unlock.
 */
int unmap_and_forget(struct page *page, struct vm_area_struct *vma,
		     unsigned long address)
{
	pte_t *pte;
	spinlock_t *ptl;

	pte = page_check_address(page, vma->vm_mm, address, &ptl);
	if (!pte)
		return 0;
	ptep_clear_flush_notify(vma, address, pte);
	forget_page(page);
	pte_unmap_unlock(pte, ptl);
	return 1;
}

/*
 * Expected: convert. note_dirty() only marks the page dirty.
 */
int unmap_and_note(struct page *page, struct vm_area_struct *vma,
		   unsigned long address)
{
	pte_t *pte;
	pte_t pteval;
	spinlock_t *ptl;

	pte = page_check_address(page, vma->vm_mm, address, &ptl);
	if (!pte)
		return 0;
	pteval = ptep_clear_flush_notify(vma, address, pte);
	note_dirty(page, pteval);
	pte_unmap_unlock(pte, ptl);
	page_cache_release(page);
	return 1;
}

/*
 * Expected: refused (unknown-callee). hand_page_to_driver() is defined in
 * no file this translation unit sees and is no primitive the tool knows:
 * it could drop the page's reference, so the tool says it cannot tell.
 */
int unmap_and_hand_over(struct page *page, struct vm_area_struct *vma,
			unsigned long address)
{
	pte_t *pte;
	spinlock_t *ptl;

	pte = page_check_address(page, vma->vm_mm, address, &ptl);
	if (!pte)
		return 0;
	ptep_clear_flush_notify(vma, address, pte);
	hand_page_to_driver(page);
	pte_unmap_unlock(pte, ptl);
	return 1;
}
