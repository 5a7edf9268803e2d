#ifndef _LINUX_MM_H
#define _LINUX_MM_H

#include <linux/mm_types.h>
#include <linux/mmzone.h>
#include <linux/poll.h>

#define ZONES_PGSHIFT	(sizeof(unsigned long) * 8 - ZONES_SHIFT)

static inline enum zone_type page_zonenum(struct page *page)
{
	return (page->flags >> ZONES_PGSHIFT) & ((1UL << ZONES_SHIFT) - 1);
}

void spin_lock(spinlock_t *lock);
void spin_unlock(spinlock_t *lock);
pte_t *page_check_address(struct page *page, struct mm_struct *mm,
			  unsigned long address, spinlock_t **ptlp);
void pte_unmap(pte_t *pte);
#define pte_unmap_unlock(pte, ptl)	do {		\
	spin_unlock(ptl);				\
	pte_unmap(pte);					\
} while (0)
pte_t ptep_clear_flush(struct vm_area_struct *vma, unsigned long address,
		       pte_t *ptep);

#endif
