/*
 * One function reached two ways: from a caller holding a mutex and from
 * a caller holding a spinlock. One atomic chain is enough for false.
 */
#include <linux/mm.h>
#include <linux/mmu_notifier.h>

/*
 * Expected: sleepable false. both_atomic() calls it with anon_vma->lock
 * (spinlock) held; both_sleeping() calls it with i_mmap_mutex (mutex)
 * held, which is listed too but does not make the call atomic.
 */
static void both_zap(struct vm_area_struct *vma, unsigned long address)
{
	spinlock_t *ptl;
	pte_t *pte;

	pte = pte_offset_map_lock(vma->vm_mm, vma_pmd(vma, address), address,
				  &ptl);
	ptep_clear_flush(vma, address, pte);
	pte_unmap_unlock(pte, ptl);
	mmu_notifier_invalidate_page(vma->vm_mm, address);
}

void both_sleeping(struct page *page, struct vm_area_struct *vma)
{
	mutex_lock(&page->mapping->i_mmap_mutex);
	both_zap(vma, vma_address(page, vma));
	mutex_unlock(&page->mapping->i_mmap_mutex);
}

void both_atomic(struct page *page, struct vm_area_struct *vma)
{
	spin_lock(&page->anon_vma->lock);
	both_zap(vma, vma_address(page, vma));
	spin_unlock(&page->anon_vma->lock);
}
