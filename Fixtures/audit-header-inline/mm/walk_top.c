/*
 * The caller of walk_user(): parsed after walk_locked() is asked for, and
 * not for it.
 */
#include <linux/mm.h>

void walk_user(struct vm_area_struct *vma, unsigned long address);

void walk_top(struct vm_area_struct *vma)
{
	walk_user(vma, vma->vm_start);
}
