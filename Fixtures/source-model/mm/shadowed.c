// SPDX-License-Identifier: GPL-2.0
/* Shapes: names shadowed in inner blocks. */
#include <linux/mm.h>
#include <linux/mmu_notifier.h>

static unsigned long last_address;

static void use_address(unsigned long address)
{
	last_address = address;
}

/*
 * Expected: refused (argument-out-of-scope). The call reads the inner
 * 'addr'; after the unlock the name means the parameter, so a notifier
 * there would invalidate the wrong address.
 */
void clear_inner_address(struct vm_area_struct *vma, pmd_t *pmd, unsigned long addr)
{
	spinlock_t *ptl;
	pte_t *pte;

	pte = pte_offset_map_lock(vma->vm_mm, pmd, addr, &ptl);
	{
		unsigned long addr = vma->vm_start;

		ptep_clear_flush_notify(vma, addr, pte);
	}
	pte_unmap_unlock(pte, ptl);
}

/*
 * Expected: convert. Between the op and the unlock an inner block assigns
 * its own 'addr', not the parameter the call reads.
 */
void clear_then_shadow(struct vm_area_struct *vma, pmd_t *pmd, unsigned long addr)
{
	spinlock_t *ptl;
	pte_t *pte;

	pte = pte_offset_map_lock(vma->vm_mm, pmd, addr, &ptl);
	ptep_clear_flush_notify(vma, addr, pte);
	{
		unsigned long addr = vma->vm_end;

		addr -= PAGE_SIZE;
		use_address(addr);
	}
	pte_unmap_unlock(pte, ptl);
}
