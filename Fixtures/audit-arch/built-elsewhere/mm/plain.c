/*
 * A caller in this configuration, holding no lock. Nobody calls it.
 */
#include <linux/mm.h>

void zap_one(struct vm_area_struct *vma, unsigned long address);

void plain_zap(struct vm_area_struct *vma, unsigned long address)
{
	zap_one(vma, address);
}
