// SPDX-License-Identifier: GPL-2.0
/* Shapes: do { … } while (0) macros that return. */
#include <linux/mm.h>
#include <linux/mmu_notifier.h>

#define RETURN_IF(cond, value)	do { if (cond) return (value); } while (0)

/*
 * Expected: convert. The macro's return comes before the lock is taken;
 * it lies on no path from the call to the unlock.
 */
int clear_checked(struct vm_area_struct *vma, pmd_t *pmd, unsigned long addr)
{
	spinlock_t *ptl;
	pte_t *pte;

	RETURN_IF(!vma, -1);
	pte = pte_offset_map_lock(vma->vm_mm, pmd, addr, &ptl);
	ptep_clear_flush_notify(vma, addr, pte);
	pte_unmap_unlock(pte, ptl);
	return 0;
}

/*
 * Expected: refused (returns-locked). The macro's return between the op
 * and the unlock leaves the function with the page-table lock held: there
 * is no unlock on that path to put the notifier after.
 */
int clear_then_check(struct vm_area_struct *vma, pmd_t *pmd, unsigned long addr)
{
	spinlock_t *ptl;
	pte_t *pte;

	pte = pte_offset_map_lock(vma->vm_mm, pmd, addr, &ptl);
	ptep_clear_flush_notify(vma, addr, pte);
	RETURN_IF(vma->vm_flags & VM_LOCKED, 1);
	pte_unmap_unlock(pte, ptl);
	return 0;
}
