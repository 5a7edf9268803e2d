// SPDX-License-Identifier: GPL-2.0
/* Shape: the lock is taken and dropped by page_vma_mapped_walk() itself. */
#include <linux/mm.h>
#include <linux/mmu_notifier.h>

bool page_referenced_one(struct page *page, struct vm_area_struct *vma,
			 unsigned long address, int *referenced)
{
	struct page_vma_mapped_walk pvmw = {
		.page = page,
		.vma = vma,
		.address = address,
	};

	while (page_vma_mapped_walk(&pvmw)) {
		address = pvmw.address;
		if (vma->vm_flags & VM_LOCKED) {
			page_vma_mapped_walk_done(&pvmw);
			return false;
		}
		if (pvmw.pte) {
			if (ptep_clear_flush_young_notify(vma, address,
							  pvmw.pte))
				(*referenced)++;
		}
	}
	return true;
}
