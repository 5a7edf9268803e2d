/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Minimal memory-management declarations for the notifysplit fixture tree:
 * page tables, their split lock, page references and the rmap walker.
 * Extended for the source-model fixtures: lists of vmas and pte helpers.
 */
#ifndef _LINUX_MM_H
#define _LINUX_MM_H

#include <linux/compiler.h>
#include <linux/list.h>

#define NULL ((void *)0)
#define PAGE_SHIFT	12
#define PAGE_SIZE	(1UL << PAGE_SHIFT)
#define PAGE_MASK	(~(PAGE_SIZE - 1))
#define PMD_SHIFT	21
#define PMD_SIZE	(1UL << PMD_SHIFT)
#define PMD_MASK	(~(PMD_SIZE - 1))

typedef unsigned char bool;
#define true	1
#define false	0

typedef struct { unsigned long pte; } pte_t;
typedef struct { unsigned long pmd; } pmd_t;
typedef struct { unsigned long pgprot; } pgprot_t;
typedef struct { int locked; } spinlock_t;

struct mm_struct {
	spinlock_t page_table_lock;
	unsigned long total_vm;
};

struct vm_area_struct {
	struct mm_struct *vm_mm;
	unsigned long vm_start;
	unsigned long vm_end;
	unsigned long vm_flags;
	pgprot_t vm_page_prot;
	struct list_head anon_vma_chain;
};

struct page {
	unsigned long flags;
	int _refcount;
};

struct folio {
	struct page page;
};

#define VM_LOCKED	0x00002000

void spin_lock(spinlock_t *lock);
void spin_unlock(spinlock_t *lock);

pte_t *pte_offset_map_lock(struct mm_struct *mm, pmd_t *pmd,
			   unsigned long address, spinlock_t **ptlp);
void pte_unmap(pte_t *pte);

#define pte_unmap_unlock(pte, ptl)	do {		\
	spin_unlock(ptl);				\
	pte_unmap(pte);					\
} while (0)

int pte_none(pte_t pte);
int pte_present(pte_t pte);
int pte_young(pte_t pte);
pte_t mk_pte(struct page *page, pgprot_t prot);
pte_t pte_mkold(pte_t pte);
void set_pte_at(struct mm_struct *mm, unsigned long addr, pte_t *ptep,
		pte_t pte);
pte_t ptep_clear_flush(struct vm_area_struct *vma, unsigned long address,
		       pte_t *ptep);
int ptep_clear_flush_young(struct vm_area_struct *vma, unsigned long address,
			   pte_t *ptep);
struct page *vm_normal_page(struct vm_area_struct *vma, unsigned long addr,
			    pte_t pte);

void get_page(struct page *page);
void put_page(struct page *page);
void folio_put(struct folio *folio);
#define page_cache_release(page)	put_page(page)

void page_remove_rmap(struct page *page, struct vm_area_struct *vma);
void page_add_anon_rmap(struct page *page, struct vm_area_struct *vma,
			unsigned long address);
void update_mmu_cache(struct vm_area_struct *vma, unsigned long address,
		      pte_t *ptep);

struct page_vma_mapped_walk {
	struct page *page;
	struct vm_area_struct *vma;
	unsigned long address;
	pmd_t *pmd;
	pte_t *pte;
	spinlock_t *ptl;
};

bool page_vma_mapped_walk(struct page_vma_mapped_walk *pvmw);
void page_vma_mapped_walk_done(struct page_vma_mapped_walk *pvmw);

pte_t pte_wrprotect(pte_t pte);
pte_t pte_mkclean(pte_t pte);
int pte_write(pte_t pte);
void flush_cache_page(struct vm_area_struct *vma, unsigned long addr,
		      unsigned long pfn);
unsigned long pte_pfn(pte_t pte);

/* Changes a pte and tells the secondary MMUs; its locals are its own. */
#define set_pte_at_notify(__mm, __address, __ptep, __pte)		\
({									\
	struct mm_struct *___mm = __mm;					\
	unsigned long ___address = __address;				\
	pte_t ___pte = __pte;						\
									\
	set_pte_at(___mm, ___address, __ptep, ___pte);			\
})

#define IS_LOCKED(vma)		((vma)->vm_flags & VM_LOCKED)
#define VM_SequentialReadHint(v)	((v)->vm_flags & VM_SEQ_READ)
#define VM_SEQ_READ	0x00008000

#endif /* _LINUX_MM_H */
