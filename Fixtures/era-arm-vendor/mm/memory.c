/*
 * Needs <asm/cacheflush.h>, which this ARM snapshot lacks: parsed with the
 * synthetic x86-64 configuration instead, and the report says so.
 */
#include <linux/mm.h>
#include <linux/mmu_notifier.h>
#include <asm/cacheflush.h>

static int do_wp_page(struct mm_struct *mm, struct vm_area_struct *vma,
		      unsigned long address, pte_t *page_table, spinlock_t *ptl)
{
	pte_t entry;

	flush_cache_page(vma, address, 0);
	entry = ptep_clear_flush_notify(vma, address, page_table);
	pte_unmap_unlock(page_table, ptl);
	return 0;
}
