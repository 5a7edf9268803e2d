/*
 * The notifier call of a chain through a header inline: walk_zap() is
 * called by walk_locked() of include/linux/walk.h, called by walk_user()
 * of mm/walk_user.c, called by walk_top() of mm/walk_top.c.
 */
#include <linux/mm.h>
#include <linux/mmu_notifier.h>
#include <linux/walk.h>

/*
 * Expected: sleepable false. walk_locked(), a static inline of
 * include/linux/walk.h, holds vma->vm_mm->page_table_lock (spinlock_t) at
 * its call of walk_zap(): chain walk_locked() -> walk_zap(). Its callers
 * walk_user() and walk_top() take no lock.
 */
void walk_zap(struct vm_area_struct *vma, unsigned long address)
{
	mmu_notifier_invalidate_page(vma->vm_mm, address);
}
