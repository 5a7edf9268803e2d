/*
 * A notify macro left in place: its notifier runs under the page-table
 * lock of its own function, whatever the callers hold.
 */
#include <linux/mm.h>
#include <linux/mmu_notifier.h>

/*
 * Expected: sleepable false. ptl (spinlock_t) is taken by
 * pte_offset_map_lock() in macro_zap() itself and held at
 * ptep_clear_flush_notify(); chain: macro_zap() alone. Its caller holds
 * i_mmap_mutex (a mutex), which is listed but changes nothing.
 * After convert: true; the mutex is the only lock left at the notifier
 * call, and the patch says nothing about atomic context.
 */
static void macro_zap(struct vm_area_struct *vma, unsigned long address)
{
	spinlock_t *ptl;
	pte_t *pte;

	pte = pte_offset_map_lock(vma->vm_mm, vma_pmd(vma, address), address,
				  &ptl);
	ptep_clear_flush_notify(vma, address, pte);
	pte_unmap_unlock(pte, ptl);
}

void macro_walk(struct page *page, struct vm_area_struct *vma)
{
	mutex_lock(&page->mapping->i_mmap_mutex);
	macro_zap(vma, vma_address(page, vma));
	mutex_unlock(&page->mapping->i_mmap_mutex);
}
