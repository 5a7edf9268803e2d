/*
 * Just enough memory-management declarations for the audit-arch fixture.
 * Not kernel code.
 */
#ifndef _LINUX_MM_H
#define _LINUX_MM_H

#include <asm/page.h>

typedef struct { int slock; } spinlock_t;
void spin_lock(spinlock_t *lock);
void spin_unlock(spinlock_t *lock);

struct mm_struct {
	spinlock_t page_table_lock;
};
struct vm_area_struct {
	struct mm_struct *vm_mm;
};

/* Callbacks a walker calls for each mapping (as an rmap walk's rmap_one). */
struct zap_ops {
	void (*zap)(struct vm_area_struct *vma, unsigned long address);
};

#endif /* _LINUX_MM_H */
