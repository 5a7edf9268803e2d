/*
 * A global function whose only caller is outside mm/.
 */
#include <linux/mm.h>
#include <linux/mmu_notifier.h>

/*
 * Expected: sleepable false. kernel/outside.c's outside_zap() calls it
 * with s->lock of a struct outside_state (spinlock_t) held: chain
 * outside_zap() -> exported_zap(), across two directories.
 */
void exported_zap(struct vm_area_struct *vma, unsigned long address)
{
	spinlock_t *ptl;
	pte_t *pte;

	pte = pte_offset_map_lock(vma->vm_mm, vma_pmd(vma, address), address,
				  &ptl);
	ptep_clear_flush(vma, address, pte);
	pte_unmap_unlock(pte, ptl);
	mmu_notifier_invalidate_page(vma->vm_mm, address);
}
