/*
 * A 2.6.27-shaped anon walker: rmap_walk_anon() takes anon_vma->lock, a
 * spinlock_t, and calls each vma's rmap_one() through the walk control a
 * caller filled in; referenced_anon() takes the same lock and calls its
 * *_one() function directly.
 */
#include <linux/mm.h>
#include <linux/mmu_notifier.h>

/*
 * Expected: sleepable false. unmap_anon() registers unmap_anon_one() as
 * .rmap_one of its walk control and hands it to rmap_walk_anon(), which
 * calls rwc->rmap_one() with anon_vma->lock (spinlock) held; the notifier
 * runs after the page-table unlock, but still under that lock. Chain:
 * rmap_walk_anon() -> unmap_anon_one().
 */
static int unmap_anon_one(struct page *page, struct vm_area_struct *vma,
			  unsigned long address, void *arg)
{
	spinlock_t *ptl;
	pte_t *pte;

	pte = pte_offset_map_lock(vma->vm_mm, vma_pmd(vma, address), address,
				  &ptl);
	ptep_clear_flush(vma, address, pte);
	pte_unmap_unlock(pte, ptl);
	mmu_notifier_invalidate_page(vma->vm_mm, address);
	return 0;
}

static int rmap_walk_anon(struct page *page, struct rmap_walk_control *rwc)
{
	struct anon_vma *anon_vma = page->anon_vma;
	struct vm_area_struct *vma;
	int ret = 0;

	spin_lock(&anon_vma->lock);
	for (vma = anon_vma->head; vma; vma = vma->vm_next) {
		ret = rwc->rmap_one(page, vma, vma_address(page, vma), rwc->arg);
		if (ret)
			break;
	}
	spin_unlock(&anon_vma->lock);
	return ret;
}

int unmap_anon(struct page *page)
{
	struct rmap_walk_control rwc = {
		.rmap_one = unmap_anon_one,
	};

	return rmap_walk_anon(page, &rwc);
}

/*
 * Expected: sleepable false. referenced_anon() calls it directly with
 * anon_vma->lock (spinlock) held. Chain: referenced_anon() ->
 * referenced_anon_one().
 */
static int referenced_anon_one(struct page *page, struct vm_area_struct *vma,
			       unsigned long address)
{
	spinlock_t *ptl;
	pte_t *pte;
	int young;

	pte = pte_offset_map_lock(vma->vm_mm, vma_pmd(vma, address), address,
				  &ptl);
	young = ptep_clear_flush_young(vma, address, pte);
	pte_unmap_unlock(pte, ptl);
	young |= mmu_notifier_clear_flush_young(vma->vm_mm, address);
	return young;
}

int referenced_anon(struct page *page)
{
	struct anon_vma *anon_vma = page->anon_vma;
	struct vm_area_struct *vma;
	int referenced = 0;

	spin_lock(&anon_vma->lock);
	for (vma = anon_vma->head; vma; vma = vma->vm_next)
		referenced += referenced_anon_one(page, vma,
						  vma_address(page, vma));
	spin_unlock(&anon_vma->lock);
	return referenced;
}
