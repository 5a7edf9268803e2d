/*
 * Built only where otherarch's Kconfig allows it: it needs
 * <asm/onlyother.h>, which x86 does not provide. Its spinlock would make
 * zap_one() atomic there, not in this configuration.
 */
#include <linux/mm.h>
#include <asm/onlyother.h>

void zap_one(struct vm_area_struct *vma, unsigned long address);

void other_zap(struct vm_area_struct *vma, unsigned long address)
{
	spin_lock(&vma->vm_mm->page_table_lock);
	zap_one(vma, address + OTHERARCH_FLAT_ALIGN);
	spin_unlock(&vma->vm_mm->page_table_lock);
}
