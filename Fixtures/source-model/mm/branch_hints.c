// SPDX-License-Identifier: GPL-2.0
/*
 * Shape: branch hints and assertions between the op and the unlock, with
 * the notifier's arguments inside them. They read vma and addr; nothing
 * assigns them.
 *
 * Expected: convert. likely(), BUG_ON() and VM_BUG_ON() only read; the
 * notifier goes after pte_unmap_unlock().
 */
#include <linux/mm.h>
#include <linux/mmu_notifier.h>

int clear_hinted(struct vm_area_struct *vma, pmd_t *pmd, unsigned long addr)
{
	spinlock_t *ptl;
	pte_t *pte;
	int sequential = 0;

	pte = pte_offset_map_lock(vma->vm_mm, pmd, addr, &ptl);
	ptep_clear_flush_notify(vma, addr, pte);
	BUG_ON(addr & ~PAGE_MASK);
	VM_BUG_ON(!pte_none(*pte));
	if (likely(!IS_LOCKED(vma)))
		sequential = VM_SequentialReadHint(vma);
	pte_unmap_unlock(pte, ptl);
	return sequential;
}
