/* Parsed with this configuration's generated headers, never the build's leftovers. */
#include <linux/mm.h>
#include <linux/mmu_notifier.h>

static int try_to_unmap_one(struct page *page, struct vm_area_struct *vma,
			    unsigned long address)
{
	struct mm_struct *mm = vma->vm_mm;
	pte_t *pte;
	pte_t pteval;
	spinlock_t *ptl;

	pte = page_check_address(page, mm, address, &ptl);
	if (!pte)
		return 0;

	pteval = ptep_clear_flush_notify(vma, address, pte);
	pte_unmap_unlock(pte, ptl);
	return page_zonenum(page) == ZONE_NORMAL;
}
