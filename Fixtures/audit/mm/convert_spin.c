/*
 * A notify macro whose function is called under a spinlock: convert moves
 * the notifier after the page-table unlock, and the call is still atomic.
 */
#include <linux/mm.h>
#include <linux/mmu_notifier.h>

/*
 * Expected: sleepable false, for two reasons: ptl (spinlock_t), taken by
 * pte_offset_map_lock() in spin_zap() itself and held at the macro, and
 * page->anon_vma->lock (spinlock), taken in spin_walk(): chain
 * spin_walk() -> spin_zap().
 * After convert (the notifier after pte_unmap_unlock()): still false,
 * through page->anon_vma->lock alone; the patch and the cover letter say
 * so and name that lock.
 */
static void spin_zap(struct vm_area_struct *vma, unsigned long address)
{
	spinlock_t *ptl;
	pte_t *pte;

	pte = pte_offset_map_lock(vma->vm_mm, vma_pmd(vma, address), address,
				  &ptl);
	ptep_clear_flush_notify(vma, address, pte);
	pte_unmap_unlock(pte, ptl);
}

void spin_walk(struct page *page, struct vm_area_struct *vma)
{
	spin_lock(&page->anon_vma->lock);
	spin_zap(vma, vma_address(page, vma));
	spin_unlock(&page->anon_vma->lock);
}
