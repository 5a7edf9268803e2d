/*
 * Includes a header no architecture of the tree provides: the audit cannot
 * tell which configuration builds it, so this is a problem (exit 3).
 */
#include <linux/mm.h>
#include <asm/nowhere.h>

void zap_one(struct vm_area_struct *vma, unsigned long address);

void nowhere_zap(struct vm_area_struct *vma, unsigned long address)
{
	zap_one(vma, address + NOWHERE_OFFSET);
}
