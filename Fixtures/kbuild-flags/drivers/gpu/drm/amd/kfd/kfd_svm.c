// SPDX-License-Identifier: MIT
/*
 * Shape: amdkfd's kfd_svm.c, built by ../amdfoo/Makefile (which includes
 * kfd/Makefile when CONFIG_HSA_AMDFOO is set), not by a Makefile of this
 * directory. Expected: 0 errors, because amdfoo's flags apply to it:
 * -I…/amdfoo for "amdfoo.h" (not in this directory) and what amdfoo's
 * Makefile includes unconditionally (pm's …/pm/inc).
 */
#include "amdfoo.h"

#ifndef DRM_WIDE
#error "drm's subdir-ccflags-y not applied"
#endif

int kfd_svm_zap(struct vm_area_struct *vma, pmd_t *pmd, unsigned long addr)
{
	spinlock_t *ptl;
	pte_t *pte = pte_offset_map_lock(vma->vm_mm, pmd, addr, &ptl);
	pte_t entry = ptep_clear_flush_notify(vma, addr, pte);

	pte_unmap_unlock(pte, ptl);
	return AMDFOO_KGD_VERSION + AMDFOO_PM_LEVELS + (int)entry.pte;
}
