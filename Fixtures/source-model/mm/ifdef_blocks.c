// SPDX-License-Identifier: GPL-2.0
/*
 * Shapes: #ifdef blocks inside the function, in both configurations of
 * each (CONFIG_FIXTURE_EXTRA is never set here).
 */
#include <linux/mm.h>
#include <linux/mmu_notifier.h>

static unsigned long events[8];

static void count_event(int event)
{
	events[event]++;
}

/*
 * Expected: convert. The block comes before the lock; in both
 * configurations the call reaches the same unlock only through itself.
 */
void clear_counted(struct vm_area_struct *vma, pmd_t *pmd, unsigned long addr)
{
	spinlock_t *ptl;
	pte_t *pte;

#ifdef CONFIG_FIXTURE_EXTRA
	count_event(1);
#endif
	pte = pte_offset_map_lock(vma->vm_mm, pmd, addr, &ptl);
	ptep_clear_flush_notify(vma, addr, pte);
	pte_unmap_unlock(pte, ptl);
}

/*
 * Expected: convert. The block between the op and the unlock only updates
 * the MMU cache (with and without it, the same plan).
 */
void clear_cached(struct vm_area_struct *vma, pmd_t *pmd, unsigned long addr)
{
	spinlock_t *ptl;
	pte_t *pte;

	pte = pte_offset_map_lock(vma->vm_mm, pmd, addr, &ptl);
	ptep_clear_flush_notify(vma, addr, pte);
#ifdef CONFIG_FIXTURE_EXTRA
	update_mmu_cache(vma, addr, pte);
#else
	count_event(2);
#endif
	pte_unmap_unlock(pte, ptl);
}

/*
 * Expected: refused (configurations-differ). With CONFIG_FIXTURE_EXTRA set,
 * a goto between the op and the unlock reaches a second unlock inside the
 * block; the notifier would have to go inside the block in that
 * configuration only.
 */
int clear_maybe_early(struct vm_area_struct *vma, pmd_t *pmd, unsigned long addr)
{
	spinlock_t *ptl;
	pte_t *pte;

	pte = pte_offset_map_lock(vma->vm_mm, pmd, addr, &ptl);
	ptep_clear_flush_notify(vma, addr, pte);
#ifdef CONFIG_FIXTURE_EXTRA
	if (vma->vm_flags & VM_LOCKED)
		goto early;
#endif
	pte_unmap_unlock(pte, ptl);
	return 0;
#ifdef CONFIG_FIXTURE_EXTRA
early:
	pte_unmap_unlock(pte, ptl);
	return 1;
#endif
}

/*
 * Expected: convert. Blocks in both branches of an if, after the unlock.
 */
void clear_then_report(struct vm_area_struct *vma, pmd_t *pmd, unsigned long addr)
{
	spinlock_t *ptl;
	pte_t *pte;

	pte = pte_offset_map_lock(vma->vm_mm, pmd, addr, &ptl);
	ptep_clear_flush_notify(vma, addr, pte);
	pte_unmap_unlock(pte, ptl);
	if (vma->vm_flags & VM_LOCKED) {
#ifdef CONFIG_FIXTURE_EXTRA
		count_event(3);
#endif
	} else {
#ifndef CONFIG_FIXTURE_EXTRA
		count_event(4);
#endif
	}
}

/*
 * Expected: convert-with-flag. A block opens the body before the
 * declarations; the goto reaches the unlock without the op in both
 * configurations, so the same flag guards the notifier in each (the flag's
 * declaration goes after the locals, valid C in both).
 */
void clear_after_opening_block(struct vm_area_struct *vma, pmd_t *pmd,
			       unsigned long addr)
{
#ifdef CONFIG_FIXTURE_EXTRA
	count_event(5);
#endif
	spinlock_t *ptl;
	pte_t *pte;

	pte = pte_offset_map_lock(vma->vm_mm, pmd, addr, &ptl);
	if (pte_none(*pte))
		goto out;
	ptep_clear_flush_notify(vma, addr, pte);
out:
	pte_unmap_unlock(pte, ptl);
}
