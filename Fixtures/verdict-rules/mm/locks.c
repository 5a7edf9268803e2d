/*
 * Shapes of the page-table lock: a pte loop whose for has no init part,
 * a lock returned by a locking call, an unlock split in two statements.
 */
#include <linux/mm.h>
#include <linux/mmu_notifier.h>

/*
 * Expected: convert-as-range. The call runs for every pte from addr (set
 * from start before the loop, never reassigned but by the loop) to end;
 * the lock region is bracketed with mmu_notifier_invalidate_range_start()
 * and _end(mm, start, end).
 */
void clear_range(struct vm_area_struct *vma, pmd_t *pmd, unsigned long start,
		 unsigned long end)
{
	struct mm_struct *mm = vma->vm_mm;
	unsigned long addr = start;
	spinlock_t *ptl;
	pte_t *pte;

	pte = pte_offset_map_lock(mm, pmd, addr, &ptl);
	for (; addr != end; pte++, addr += PAGE_SIZE) {
		if (pte_none(*pte))
			continue;
		ptep_clear_flush_notify(vma, addr, pte);
	}
	pte_unmap_unlock(pte - 1, ptl);
}

/*
 * Expected: convert. The page-table lock is the pointer pmd_lock()
 * returned; spin_unlock(ptl) releases it.
 */
void clear_under_pmd_lock(struct vm_area_struct *vma, pmd_t *pmd,
			  unsigned long address)
{
	spinlock_t *ptl;
	pte_t *pte;

	ptl = pmd_lock(vma->vm_mm, pmd);
	pte = pte_offset_map(pmd, address);
	ptep_clear_flush_notify(vma, address, pte);
	pte_unmap(pte);
	spin_unlock(ptl);
}

/*
 * Expected: convert. The unlock is pte_unmap() then spin_unlock(ptl), two
 * statements; the notifier goes after the second.
 */
void clear_split_unlock(struct vm_area_struct *vma, pmd_t *pmd,
			unsigned long address)
{
	spinlock_t *ptl;
	pte_t *pte;

	pte = pte_offset_map_lock(vma->vm_mm, pmd, address, &ptl);
	ptep_clear_flush_notify(vma, address, pte);
	pte_unmap(pte);
	spin_unlock(ptl);
}

/*
 * Expected: convert-as-range. The loop moves address itself, and both
 * bounds are computed (and clamped) before the lock: their values at the
 * lock are kept in new locals, mmun_start and mmun_end, for the range
 * notifier. The page reference dropped inside the loop is covered: the
 * whole range is invalidated before the lock is taken.
 */
void unmap_cluster(struct vm_area_struct *vma, pmd_t *pmd, unsigned long cursor)
{
	struct mm_struct *mm = vma->vm_mm;
	unsigned long address, end;
	spinlock_t *ptl;
	struct page *page;
	pte_t *pte;

	address = vma->vm_start + cursor;
	end = address + 16 * PAGE_SIZE;
	if (address < vma->vm_start)
		address = vma->vm_start;

	pte = pte_offset_map_lock(mm, pmd, address, &ptl);
	for (; address < end; pte++, address += PAGE_SIZE) {
		if (!pte_present(*pte))
			continue;
		page = pte_page(*pte);
		ptep_clear_flush_notify(vma, address, pte);
		page_cache_release(page);
	}
	pte_unmap_unlock(pte - 1, ptl);
}
