/*
 * Memory-management declarations for notifysplit's verdict-rule fixtures,
 * in the shapes of a 2.6-era tree: page tables and their split lock, page
 * references, swap and file-offset entries, the swap token. Not kernel code.
 */
#ifndef _LINUX_MM_H
#define _LINUX_MM_H

#include <stdarg.h>
#include <asm/pgtable.h>

#define NULL		((void *)0)
#define PAGE_SHIFT	12
#define PAGE_SIZE	(1UL << PAGE_SHIFT)
#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)

typedef struct { int slock; } spinlock_t;
typedef struct { unsigned long pgprot; } pgprot_t;
typedef struct { unsigned long val; } swp_entry_t;
struct rw_semaphore { long count; };
struct mm_struct {
	spinlock_t page_table_lock;
	struct rw_semaphore mmap_sem;
};
struct vm_area_struct {
	struct mm_struct *vm_mm;
	unsigned long vm_flags;
	unsigned long vm_start;
	pgprot_t vm_page_prot;
};
struct page { unsigned long flags; unsigned long index; };
struct task_struct { struct mm_struct *mm; };

#define VM_LOCKED	0x00002000
#define _PAGE_FILE	0x040
#define PTE_FILE_SHIFT	12

extern struct task_struct *current_task;
#define current		current_task
extern struct mm_struct *swap_token_mm;
static inline int has_swap_token(struct mm_struct *mm)
{
	return mm == swap_token_mm;
}
static inline int rwsem_is_locked(struct rw_semaphore *sem)
{
	return sem->count != 0;
}

void spin_lock(spinlock_t *lock);
void spin_unlock(spinlock_t *lock);
spinlock_t *pmd_lock(struct mm_struct *mm, pmd_t *pmd);
pte_t *page_check_address(struct page *page, struct mm_struct *mm,
			  unsigned long address, spinlock_t **ptlp);
pte_t *pte_offset_map_lock(struct mm_struct *mm, pmd_t *pmd,
			   unsigned long address, spinlock_t **ptlp);
pte_t *pte_offset_map(pmd_t *pmd, unsigned long address);
void pte_unmap(pte_t *pte);
#define pte_unmap_unlock(pte, ptl)	do {		\
	spin_unlock(ptl);				\
	pte_unmap(pte);					\
} while (0)
pte_t ptep_clear_flush(struct vm_area_struct *vma, unsigned long address,
		       pte_t *ptep);
int ptep_clear_flush_young(struct vm_area_struct *vma, unsigned long address,
			   pte_t *ptep);
void set_pte_at(struct mm_struct *mm, unsigned long addr, pte_t *ptep,
		pte_t pte);
void set_pmd_at(struct mm_struct *mm, unsigned long addr, pmd_t *pmdp,
		pmd_t pmd);
pmd_t pmdp_clear_flush(struct vm_area_struct *vma, unsigned long address,
		       pmd_t *pmdp);

int pte_none(pte_t pte);
int pte_present(pte_t pte);
int pte_dirty(pte_t pte);
pte_t mk_pte(struct page *page, pgprot_t prot);
pgprot_t pte_pgprot(pte_t pte);
pte_t pte_mkold(pte_t pte);
pte_t pte_wrprotect(pte_t pte);
struct page *pte_page(pte_t pte);
pte_t swp_entry_to_pte(swp_entry_t entry);
swp_entry_t make_migration_entry(struct page *page, int write);
#define pgoff_to_pte(off)	\
	((pte_t) { .pte = ((off) << PTE_FILE_SHIFT) | _PAGE_FILE })

void get_page(struct page *page);
void put_page(struct page *page);
void page_cache_release(struct page *page);
void page_remove_rmap(struct page *page);
void set_page_dirty(struct page *page);
void count_young(struct vm_area_struct *vma, int referenced);
void hand_page_to_driver(struct page *page);
void driver_take_page(struct page *page);

/*
 * A counter update that only builds for 4- and 8-byte counters: any other
 * size calls __bad_counter_size(), which is defined nowhere, so the link
 * fails (the kernel's percpu and xchg macros assert sizes this way).
 */
extern void __bad_counter_size(void);
extern unsigned long pages_settled;

/*
 * Drops the reference at once when the compiler can prove n constant:
 * gcc may, after inlining settle_pages(page, 1); whether it does is the
 * compiler's choice, so both branches can run.
 */
static inline void settle_pages(struct page *page, unsigned long n)
{
	if (__builtin_constant_p(n))
		put_page(page);
	else
		pages_settled += n;
}
extern unsigned long pages_unmapped_here;
static inline void count_unmapped(unsigned long *counter)
{
	switch (sizeof(*counter)) {
	case 4:
	case 8:
		(*counter)++;
		break;
	default:
		__bad_counter_size();
	}
}

#endif
