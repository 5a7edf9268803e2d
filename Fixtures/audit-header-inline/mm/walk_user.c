/* The one file using walk_locked(): the audit reads its body here. */
#include <linux/mm.h>
#include <linux/walk.h>

void walk_user(struct vm_area_struct *vma, unsigned long address)
{
	walk_locked(vma, address);
}
