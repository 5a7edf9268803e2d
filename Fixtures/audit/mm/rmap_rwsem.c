/*
 * A 3.10-shaped walker: rmap_walk_shared() takes file->i_mmap_rwsem, a
 * struct rw_semaphore, for reading, and calls rmap_one() through the walk
 * control; referenced_shared() takes the same rwsem and calls its *_one()
 * directly.
 * The same rmap_one field is called by rmap_spin.c's walker: only the walk
 * of the function that registered unmap_shared_one() can call it.
 */
#include <linux/mm.h>
#include <linux/mmu_notifier.h>

/*
 * Expected: sleepable true. unmap_shared() registers it and walks with
 * rmap_walk_shared(), which holds i_mmap_rwsem (an rwsem: sleeping) at the
 * call; unmap_shared() has no caller. rmap_walk_anon() in rmap_spin.c also
 * calls .rmap_one under a spinlock, but only for unmap_anon()'s walk
 * control, never for this function.
 */
static int unmap_shared_one(struct page *page, struct vm_area_struct *vma,
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

static int rmap_walk_shared(struct page *page, struct rmap_walk_control *rwc)
{
	struct shared_file *file = page->file;
	struct vm_area_struct *vma;
	int ret = 0;

	down_read(&file->i_mmap_rwsem);
	for (vma = file->i_mmap; vma; vma = vma->vm_next) {
		ret = rwc->rmap_one(page, vma, vma_address(page, vma), rwc->arg);
		if (ret)
			break;
	}
	up_read(&file->i_mmap_rwsem);
	return ret;
}

int unmap_shared(struct page *page)
{
	struct rmap_walk_control rwc = {
		.rmap_one = unmap_shared_one,
	};

	return rmap_walk_shared(page, &rwc);
}

/*
 * Expected: sleepable true. Its one caller holds only i_mmap_rwsem (an
 * rwsem) at the call.
 */
static int referenced_shared_one(struct page *page,
				 struct vm_area_struct *vma,
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

int referenced_shared(struct page *page)
{
	struct shared_file *file = page->file;
	struct vm_area_struct *vma;
	int referenced = 0;

	down_read(&file->i_mmap_rwsem);
	for (vma = file->i_mmap; vma; vma = vma->vm_next)
		referenced += referenced_shared_one(page, vma,
						  vma_address(page, vma));
	up_read(&file->i_mmap_rwsem);
	return referenced;
}
