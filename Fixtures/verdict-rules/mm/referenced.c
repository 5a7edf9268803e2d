/*
 * Shapes of the young macro's consumer: counts that commute with it, a
 * count read before the unlock, and the result seen through likely().
 */
#include <linux/mm.h>
#include <linux/mmu_notifier.h>

/*
 * The design's own example (2008, "mmu notifiers #v8"): a VM_LOCKED branch
 * counts the reference itself, the young call sits in the else if, and
 * the swap token adds one more before the unlock.
 *
 * Expected: convert-with-flag. The swap token's referenced++ commutes with
 * the consumer's referenced++, so the consumer can move after the unlock.
 * A flag is declared with the locals and set in an else block beside the
 * plain op; after pte_unmap_unlock() the notifier's result is ORed into
 * the kept young value and the consumer runs once (not the 2008
 * 'referenced += notifier()', which counts a pte young in both MMUs twice).
 */
static int page_referenced_one(struct page *page, struct vm_area_struct *vma,
			       unsigned long address, unsigned int *mapcount)
{
	struct mm_struct *mm = vma->vm_mm;
	pte_t *pte;
	spinlock_t *ptl;
	int referenced = 0;

	pte = page_check_address(page, mm, address, &ptl);
	if (!pte)
		goto out;

	if (vma->vm_flags & VM_LOCKED) {
		referenced++;
		*mapcount = 1;	/* break early from loop */
	} else if (ptep_clear_flush_young_notify(vma, address, pte))
		referenced++;

	/* Pretend the page is referenced if the task has the
	   swap token and is in the middle of a page fault. */
	if (mm != current->mm && has_swap_token(mm) &&
			rwsem_is_locked(&mm->mmap_sem))
		referenced++;

	(*mapcount)--;
	pte_unmap_unlock(pte, ptl);
out:
	return referenced;
}

/*
 * Expected: refused (young-consumer-blocked). Between the young call and
 * the unlock the count is passed to a function; moving the consumer after
 * the unlock would change what that function sees.
 */
int referenced_then_counted(struct page *page, struct vm_area_struct *vma,
			    unsigned long address)
{
	pte_t *pte;
	spinlock_t *ptl;
	int referenced = 0;

	pte = page_check_address(page, vma->vm_mm, address, &ptl);
	if (!pte)
		return 0;
	if (ptep_clear_flush_young_notify(vma, address, pte))
		referenced++;
	count_young(vma, referenced);
	pte_unmap_unlock(pte, ptl);
	return referenced;
}

/*
 * Expected: convert. The young result is the condition through likely(),
 * which only hints the branch; the consumer moves after the unlock with
 * the hint kept.
 */
int referenced_likely(struct page *page, struct vm_area_struct *vma,
		      unsigned long address)
{
	pte_t *pte;
	spinlock_t *ptl;
	int referenced = 0;

	pte = page_check_address(page, vma->vm_mm, address, &ptl);
	if (!pte)
		return 0;
	if (likely(ptep_clear_flush_young_notify(vma, address, pte)))
		referenced++;
	pte_unmap_unlock(pte, ptl);
	return referenced;
}

/*
 * Expected: refused (young-decides-control-flow, conditionally-evaluated).
 * The young result is the right operand of || in the test that decides
 * whether to give up: moving the notifier after the unlock would change
 * that decision, and the call itself runs only when the left side is false.
 */
int unmap_unless_young(struct page *page, struct vm_area_struct *vma,
		       unsigned long address)
{
	pte_t *pte;
	spinlock_t *ptl;
	int ret = 1;

	pte = page_check_address(page, vma->vm_mm, address, &ptl);
	if (!pte)
		return 0;
	if ((vma->vm_flags & VM_LOCKED) ||
	    ptep_clear_flush_young_notify(vma, address, pte)) {
		ret = 0;
		goto out_unmap;
	}
	ptep_clear_flush(vma, address, pte);
out_unmap:
	pte_unmap_unlock(pte, ptl);
	return ret;
}
