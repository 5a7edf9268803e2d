// SPDX-License-Identifier: GPL-2.0
/* Shapes: iterator macros from a header before, around and after the call. */
#include <linux/mm.h>
#include <linux/mmu_notifier.h>

/*
 * Expected: convert. The list walk ends before the lock is taken; it lies
 * on no path from the call to the unlock.
 */
int clear_after_walk(struct vm_area_struct *vma, struct list_head *vmas,
		     pmd_t *pmd, unsigned long addr)
{
	struct vm_area_struct *other;
	spinlock_t *ptl;
	pte_t *pte;
	int locked = 0;

	list_for_each_entry(other, vmas, anon_vma_chain) {
		if (other->vm_flags & VM_LOCKED)
			locked++;
	}
	pte = pte_offset_map_lock(vma->vm_mm, pmd, addr, &ptl);
	ptep_clear_flush_notify(vma, addr, pte);
	pte_unmap_unlock(pte, ptl);
	return locked;
}

/*
 * Expected: convert. The list walk comes after the unlock.
 */
int clear_before_walk(struct vm_area_struct *vma, struct list_head *vmas,
		      pmd_t *pmd, unsigned long addr)
{
	struct vm_area_struct *other;
	spinlock_t *ptl;
	pte_t *pte;
	int locked = 0;

	pte = pte_offset_map_lock(vma->vm_mm, pmd, addr, &ptl);
	ptep_clear_flush_notify(vma, addr, pte);
	pte_unmap_unlock(pte, ptl);
	list_for_each_entry(other, vmas, anon_vma_chain)
		locked += !!(other->vm_flags & VM_LOCKED);
	return locked;
}

/*
 * Expected: refused (range-not-possible). The call repeats inside a list
 * walk with the unlock after it: it runs once per vma, not over a range of
 * addresses one range notifier could cover.
 */
void clear_each_vma(struct list_head *vmas, pte_t *pte, spinlock_t *ptl,
		    unsigned long addr)
{
	struct vm_area_struct *vma;

	spin_lock(ptl);
	list_for_each_entry(vma, vmas, anon_vma_chain)
		ptep_clear_flush_notify(vma, addr, pte);
	spin_unlock(ptl);
}
