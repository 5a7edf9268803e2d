/*
 * A 3.0-shaped file walker: rmap_walk_file() takes mapping->i_mmap_mutex,
 * a struct mutex, and calls rmap_one() through the walk control;
 * referenced_file() takes the same mutex and calls its *_one() directly.
 * The same rmap_one field is called by rmap_spin.c's walker: only the walk
 * of the function that registered unmap_file_one() can call it.
 */
#include <linux/mm.h>
#include <linux/mmu_notifier.h>

/*
 * Expected: sleepable true. unmap_file() registers it and walks with
 * rmap_walk_file(), which holds i_mmap_mutex (a mutex: sleeping) at the
 * call; unmap_file() has no caller. rmap_walk_anon() in rmap_spin.c also
 * calls .rmap_one under a spinlock, but only for unmap_anon()'s walk
 * control, never for this function.
 */
static int unmap_file_one(struct page *page, struct vm_area_struct *vma,
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

static int rmap_walk_file(struct page *page, struct rmap_walk_control *rwc)
{
	struct address_space *mapping = page->mapping;
	struct vm_area_struct *vma;
	int ret = 0;

	mutex_lock(&mapping->i_mmap_mutex);
	for (vma = mapping->i_mmap; vma; vma = vma->vm_next) {
		ret = rwc->rmap_one(page, vma, vma_address(page, vma), rwc->arg);
		if (ret)
			break;
	}
	mutex_unlock(&mapping->i_mmap_mutex);
	return ret;
}

int unmap_file(struct page *page)
{
	struct rmap_walk_control rwc = {
		.rmap_one = unmap_file_one,
	};

	return rmap_walk_file(page, &rwc);
}

/*
 * Expected: sleepable true. Its one caller holds only i_mmap_mutex (a
 * mutex) at the call.
 */
static int referenced_file_one(struct page *page, struct vm_area_struct *vma,
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

int referenced_file(struct page *page)
{
	struct address_space *mapping = page->mapping;
	struct vm_area_struct *vma;
	int referenced = 0;

	mutex_lock(&mapping->i_mmap_mutex);
	for (vma = mapping->i_mmap; vma; vma = vma->vm_next)
		referenced += referenced_file_one(page, vma,
						  vma_address(page, vma));
	mutex_unlock(&mapping->i_mmap_mutex);
	return referenced;
}
