// SPDX-License-Identifier: MIT
/*
 * Shape: i915_mm.c. Expected: 0 errors, because display/i9_display.h's
 * "i9_reg_defs.h" is found through the subdir-ccflags-y
 * -I$(srctree)/$(src) of the driver's Makefile.
 */
#include <linux/mmu_notifier.h>
#include "display/i9_display.h"

int i9_mm_zap(struct vm_area_struct *vma, pmd_t *pmd, unsigned long addr)
{
	spinlock_t *ptl;
	pte_t *pte = pte_offset_map_lock(vma->vm_mm, pmd, addr, &ptl);
	pte_t entry = ptep_clear_flush_notify(vma, addr, pte);

	pte_unmap_unlock(pte, ptl);
	return I9_REG_COUNT + (int)entry.pte;
}
