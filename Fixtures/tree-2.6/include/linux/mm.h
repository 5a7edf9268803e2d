#ifndef _LINUX_MM_H
#define _LINUX_MM_H

#include <stdarg.h>
#include <asm/pgtable.h>

#define PAGE_SHIFT	12
#define PAGE_SIZE	(1UL << PAGE_SHIFT)

typedef struct { int slock; } spinlock_t;
struct mm_struct { spinlock_t page_table_lock; };
struct vm_area_struct { struct mm_struct *vm_mm; unsigned long vm_flags; };
struct page { unsigned long flags; };

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
int ptep_clear_flush_young(struct vm_area_struct *vma, unsigned long address,
			   pte_t *ptep);
void page_cache_release(struct page *page);

#endif
