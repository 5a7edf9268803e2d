/* SPDX-License-Identifier: GPL-2.0 */
/* Just enough of a page table for the drivers' calls to parse. */
#ifndef _LINUX_MM_H
#define _LINUX_MM_H

#define PAGE_SIZE 4096UL
#define PAGE_MASK (~(PAGE_SIZE - 1))

typedef struct { unsigned long pte; } pte_t;
typedef struct { unsigned long pmd; } pmd_t;
typedef struct { int locked; } spinlock_t;

struct mm_struct { spinlock_t page_table_lock; };
struct vm_area_struct { struct mm_struct *vm_mm; };

void spin_lock(spinlock_t *lock);
void spin_unlock(spinlock_t *lock);
pte_t *pte_offset_map_lock(struct mm_struct *mm, pmd_t *pmd, unsigned long addr, spinlock_t **ptl);
void pte_unmap_unlock(pte_t *pte, spinlock_t *ptl);
pte_t ptep_clear_flush(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep);

#endif /* _LINUX_MM_H */
