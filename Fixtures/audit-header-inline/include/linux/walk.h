/*
 * A header inline on a caller chain: walk_locked() takes the mm's
 * page_table_lock (spinlock_t) and calls walk_zap() of mm/walk_zap.c with
 * it held. Its body is read from one file that includes the header
 * (mm/walk_user.c, the only one using it). Not kernel code.
 */
#ifndef _LINUX_WALK_H
#define _LINUX_WALK_H

#include <linux/mm.h>

void walk_zap(struct vm_area_struct *vma, unsigned long address);

static inline void walk_locked(struct vm_area_struct *vma,
			       unsigned long address)
{
	spin_lock(&vma->vm_mm->page_table_lock);
	walk_zap(vma, address);
	spin_unlock(&vma->vm_mm->page_table_lock);
}

#endif
