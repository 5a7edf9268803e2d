/*
 * A walker of one of otherarch's boards: it calls the registered zap
 * callback under a spinlock, and needs <mach/board.h>, which only
 * otherarch's mach-board directory provides.
 */
#include <linux/mm.h>
#include <mach/board.h>

void board_walk(const struct zap_ops *ops, struct vm_area_struct *vma)
{
	spin_lock(&vma->vm_mm->page_table_lock);
	ops->zap(vma, BOARD_IRQS);
	spin_unlock(&vma->vm_mm->page_table_lock);
}
