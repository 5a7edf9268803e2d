/*
 * Memory-management declarations for notifysplit's audit fixtures, in the
 * shapes of a 2.6-era tree: the lock types (each kind declared as the
 * kernel declares it, so the audit has to read the type), the objects the
 * reverse-map walkers lock, and an rmap_walk_control. Not kernel code.
 */
#ifndef _LINUX_MM_H
#define _LINUX_MM_H

#include <asm/pgtable.h>

#define NULL		((void *)0)
#define PAGE_SIZE	4096UL

typedef struct { int slock; } spinlock_t;
struct mutex { long owner; };
struct rw_semaphore { long count; };

struct mm_struct {
	spinlock_t page_table_lock;
	struct rw_semaphore mmap_sem;
};
struct vm_area_struct {
	struct mm_struct *vm_mm;
	unsigned long vm_start;
	struct vm_area_struct *vm_next;
};
/* Three walkers' objects, one per lock type a tree of some era declares. */
struct anon_vma {
	spinlock_t lock;
	struct vm_area_struct *head;
};
struct address_space {
	struct mutex i_mmap_mutex;
	struct vm_area_struct *i_mmap;
};
struct shared_file {
	struct rw_semaphore i_mmap_rwsem;
	struct vm_area_struct *i_mmap;
};
struct page {
	unsigned long flags;
	struct anon_vma *anon_vma;
	struct address_space *mapping;
	struct shared_file *file;
};

struct rmap_walk_control {
	void *arg;
	int (*rmap_one)(struct page *page, struct vm_area_struct *vma,
			unsigned long address, void *arg);
};

void spin_lock(spinlock_t *lock);
void spin_unlock(spinlock_t *lock);
void mutex_lock(struct mutex *lock);
void mutex_unlock(struct mutex *lock);
void down_read(struct rw_semaphore *sem);
void up_read(struct rw_semaphore *sem);
void down_write(struct rw_semaphore *sem);
void up_write(struct rw_semaphore *sem);
void rcu_read_lock(void);
void rcu_read_unlock(void);

pte_t *pte_offset_map_lock(struct mm_struct *mm, pmd_t *pmd,
			   unsigned long address, spinlock_t **ptlp);
void pte_unmap(pte_t *pte);
#define pte_unmap_unlock(pte, ptl)	do {		\
	spin_unlock(ptl);				\
	pte_unmap(pte);					\
} while (0)
pmd_t *vma_pmd(struct vm_area_struct *vma, unsigned long address);
unsigned long vma_address(struct page *page, struct vm_area_struct *vma);
pte_t ptep_clear_flush(struct vm_area_struct *vma, unsigned long address,
		       pte_t *ptep);
int ptep_clear_flush_young(struct vm_area_struct *vma, unsigned long address,
			   pte_t *ptep);

#endif
