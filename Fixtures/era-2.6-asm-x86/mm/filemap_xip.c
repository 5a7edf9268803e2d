/* Built only with CONFIG_FS_XIP: the header stubs it out otherwise. */
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/mmu_notifier.h>

int xip_truncate_page(struct address_space *mapping, long from)
{
	return 0;
}

static void __xip_unmap(struct vm_area_struct *vma, unsigned long address, struct page *page)
{
	struct mm_struct *mm = vma->vm_mm;
	spinlock_t *ptl;
	pte_t *pte;
	pte_t pteval;

	pte = page_check_address(page, mm, address, &ptl);
	if (pte) {
		pteval = ptep_clear_flush_notify(vma, address, pte);
		pte_unmap_unlock(pte, ptl);
	}
}
