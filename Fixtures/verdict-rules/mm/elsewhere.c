/*
 * Calls between the op and the unlock to functions defined in another
 * file of the tree (mm/page_helpers.c): judged by their bodies there,
 * found through the token index, never by their names.
 */
#include <linux/mm.h>
#include <linux/mmu_notifier.h>

void account_unmapped(struct page *page);
void release_unmapped(struct page *page);
void retire_unmapped(struct page *page);
void reinstall_pte(struct vm_area_struct *vma, unsigned long address,
		   pte_t *pte, pte_t pteval);
void queue_unmapped(struct page *page);

/*
 * Expected: convert (unguarded). account_unmapped() is defined in
 * mm/page_helpers.c and only bumps a counter: nothing there stops the
 * notifier from moving after pte_unmap_unlock().
 */
int unmap_and_account(struct page *page, struct vm_area_struct *vma,
		      unsigned long address)
{
	pte_t *pte;
	spinlock_t *ptl;

	pte = page_check_address(page, vma->vm_mm, address, &ptl);
	if (!pte)
		return 0;
	ptep_clear_flush_notify(vma, address, pte);
	account_unmapped(page);
	pte_unmap_unlock(pte, ptl);
	return 1;
}

/*
 * Expected: refused (page-reference-dropped). release_unmapped(), in
 * mm/page_helpers.c, calls put_page(): the page may be freed before a
 * notifier after the unlock runs. The reason names the file and the
 * chain release_unmapped() → put_page().
 */
int unmap_and_release(struct page *page, struct vm_area_struct *vma,
		      unsigned long address)
{
	pte_t *pte;
	spinlock_t *ptl;

	pte = page_check_address(page, vma->vm_mm, address, &ptl);
	if (!pte)
		return 0;
	ptep_clear_flush_notify(vma, address, pte);
	release_unmapped(page);
	pte_unmap_unlock(pte, ptl);
	return 1;
}

/*
 * Expected: refused (page-reference-dropped). retire_unmapped() drops the
 * reference through retire(), a static function of its own file: the
 * chain retire_unmapped() → retire() → page_cache_release().
 */
int unmap_and_retire(struct page *page, struct vm_area_struct *vma,
		     unsigned long address)
{
	pte_t *pte;
	spinlock_t *ptl;

	pte = page_check_address(page, vma->vm_mm, address, &ptl);
	if (!pte)
		return 0;
	ptep_clear_flush_notify(vma, address, pte);
	retire_unmapped(page);
	pte_unmap_unlock(pte, ptl);
	return 1;
}

/*
 * Expected: refused (pte-pointed-elsewhere). reinstall_pte() writes the
 * pte with set_pte_at(); from here the tool cannot tell which page it
 * maps, so the secondary TLB might need invalidating under the lock.
 */
int unmap_and_reinstall(struct page *page, struct vm_area_struct *vma,
			unsigned long address, pte_t newval)
{
	pte_t *pte;
	spinlock_t *ptl;

	pte = page_check_address(page, vma->vm_mm, address, &ptl);
	if (!pte)
		return 0;
	ptep_clear_flush_notify(vma, address, pte);
	reinstall_pte(vma, address, pte, newval);
	pte_unmap_unlock(pte, ptl);
	return 1;
}

/*
 * Expected: refused (unknown-callee). queue_unmapped() is found in
 * mm/page_helpers.c, but it calls driver_take_page(), which no file
 * defines: the reason names the chain queue_unmapped() →
 * driver_take_page() and says the tool cannot read it.
 */
int unmap_and_queue(struct page *page, struct vm_area_struct *vma,
		    unsigned long address)
{
	pte_t *pte;
	spinlock_t *ptl;

	pte = page_check_address(page, vma->vm_mm, address, &ptl);
	if (!pte)
		return 0;
	ptep_clear_flush_notify(vma, address, pte);
	queue_unmapped(page);
	pte_unmap_unlock(pte, ptl);
	return 1;
}

/*
 * Expected: convert (unguarded). count_unmapped(), an inline of the
 * header, switches on the size of its counter; the default branch calls
 * __bad_counter_size(), declared but defined nowhere (a link-time
 * assertion, as the kernel's percpu and xchg macros have): with an 8-byte
 * counter the compiler drops that branch, so the call is never made and
 * must not block the move.
 */
int unmap_and_count(struct page *page, struct vm_area_struct *vma,
		    unsigned long address)
{
	pte_t *pte;
	spinlock_t *ptl;

	pte = page_check_address(page, vma->vm_mm, address, &ptl);
	if (!pte)
		return 0;
	ptep_clear_flush_notify(vma, address, pte);
	count_unmapped(&pages_unmapped_here);
	pte_unmap_unlock(pte, ptl);
	return 1;
}

/*
 * Expected: refused (page-reference-dropped). settle_pages() drops the
 * reference when __builtin_constant_p(n) holds, which gcc decides after
 * inlining settle_pages(page, 1): put_page() may run before the unlock.
 * Such a condition is not a constant every compiler agrees on, so both
 * branches count (unlike the sizeof switch above).
 */
int unmap_and_settle(struct page *page, struct vm_area_struct *vma,
		     unsigned long address)
{
	pte_t *pte;
	spinlock_t *ptl;

	pte = page_check_address(page, vma->vm_mm, address, &ptl);
	if (!pte)
		return 0;
	ptep_clear_flush_notify(vma, address, pte);
	settle_pages(page, 1);
	pte_unmap_unlock(pte, ptl);
	return 1;
}

/*
 * Expected: refused (page-reference-dropped, then unknown-callee).
 * put_page() before the unlock refuses the site by itself; reading
 * account_unmapped() in mm/page_helpers.c could not undo that, so the
 * tool does not parse that file for this site, and says so: the call is
 * named as not read, rather than passed over in silence.
 */
int unmap_put_and_account(struct page *page, struct vm_area_struct *vma,
			  unsigned long address)
{
	pte_t *pte;
	spinlock_t *ptl;

	pte = page_check_address(page, vma->vm_mm, address, &ptl);
	if (!pte)
		return 0;
	ptep_clear_flush_notify(vma, address, pte);
	put_page(page);
	account_unmapped(page);
	pte_unmap_unlock(pte, ptl);
	return 1;
}
