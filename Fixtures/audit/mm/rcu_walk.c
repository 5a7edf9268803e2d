/*
 * An RCU read section: the walker looks its vmas up under
 * rcu_read_lock(), which has no lock object; the section itself is the
 * atomic context.
 */
#include <linux/mm.h>
#include <linux/mmu_notifier.h>

/*
 * Expected: sleepable false. Its one caller, rcu_walk(), calls it inside
 * rcu_read_lock() ... rcu_read_unlock() (kind rcu, taken in rcu_walk()).
 */
static void rcu_one(struct vm_area_struct *vma, unsigned long address)
{
	spinlock_t *ptl;
	pte_t *pte;

	pte = pte_offset_map_lock(vma->vm_mm, vma_pmd(vma, address), address,
				  &ptl);
	ptep_clear_flush(vma, address, pte);
	pte_unmap_unlock(pte, ptl);
	mmu_notifier_invalidate_page(vma->vm_mm, address);
}

void rcu_walk(struct page *page, struct vm_area_struct *first)
{
	struct vm_area_struct *vma;

	rcu_read_lock();
	for (vma = first; vma; vma = vma->vm_next)
		rcu_one(vma, vma_address(page, vma));
	rcu_read_unlock();
}
