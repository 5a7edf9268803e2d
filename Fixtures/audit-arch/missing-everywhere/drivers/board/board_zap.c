/*
 * A driver for one of otherarch's boards: it needs <mach/board.h>, which
 * only otherarch's mach-board directory provides.
 */
#include <linux/mm.h>
#include <mach/board.h>

void zap_one(struct vm_area_struct *vma, unsigned long address);

void board_zap(struct vm_area_struct *vma, unsigned long address)
{
	spin_lock(&vma->vm_mm->page_table_lock);
	zap_one(vma, address + BOARD_IRQS);
	spin_unlock(&vma->vm_mm->page_table_lock);
}
