/*
 * Nesting: the lock is taken three frames above the function holding the
 * notifier call, and the frames between take nothing.
 */
#include <linux/mm.h>
#include <linux/mmu_notifier.h>

/* A global lock: its object is the variable itself. */
spinlock_t nest_lock;

/*
 * Expected: sleepable false. nest_outer() holds nest_lock (spinlock_t) at
 * its call of nest_middle(), which calls nest_inner(), which calls
 * nest_zap(): chain nest_outer() -> nest_middle() -> nest_inner() ->
 * nest_zap(), three callers up (within the default depth of 4). With
 * --depth 2 the chain is cut above nest_middle() and the answer is unknown.
 */
static void nest_zap(struct vm_area_struct *vma, unsigned long address)
{
	spinlock_t *ptl;
	pte_t *pte;

	pte = pte_offset_map_lock(vma->vm_mm, vma_pmd(vma, address), address,
				  &ptl);
	ptep_clear_flush(vma, address, pte);
	pte_unmap_unlock(pte, ptl);
	mmu_notifier_invalidate_page(vma->vm_mm, address);
}

static void nest_inner(struct vm_area_struct *vma, unsigned long address)
{
	nest_zap(vma, address);
}

static void nest_middle(struct vm_area_struct *vma, unsigned long address)
{
	nest_inner(vma, address + PAGE_SIZE);
}

void nest_outer(struct vm_area_struct *vma, unsigned long address)
{
	spin_lock(&nest_lock);
	nest_middle(vma, address);
	spin_unlock(&nest_lock);
}
