// SPDX-License-Identifier: MIT
/*
 * Shape: amdgpu_mn.c. Expected: 0 errors, because its Makefile's
 * ccflags-y adds -I$(FULL_AMD_PATH)/include, where amdfoo.h's
 * "kgd_iface.h" is, the pm Makefile it includes adds …/pm/inc
 * ("pm_iface.h"), and drm's subdir-ccflags-y defines DRM_WIDE.
 */
#include "amdfoo.h"

#ifndef DRM_WIDE
#error "drm's subdir-ccflags-y not applied"
#endif

int amdfoo_mn_zap(struct vm_area_struct *vma, pmd_t *pmd, unsigned long addr)
{
	spinlock_t *ptl;
	pte_t *pte = pte_offset_map_lock(vma->vm_mm, pmd, addr, &ptl);
	pte_t entry = ptep_clear_flush_notify(vma, addr, pte);

	pte_unmap_unlock(pte, ptl);
	return AMDFOO_KGD_VERSION + AMDFOO_PM_LEVELS + (int)entry.pte;
}
