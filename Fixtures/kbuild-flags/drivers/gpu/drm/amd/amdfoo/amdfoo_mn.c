// SPDX-License-Identifier: MIT
/*
 * Shape: amdgpu_mn.c. Expected: 0 errors, because its Makefile's
 * ccflags-y adds -I$(FULL_AMD_PATH)/include, where amdfoo.h's
 * "kgd_iface.h" is, the pm Makefile it includes adds …/pm/inc
 * ("pm_iface.h"), and drm's subdir-ccflags-y defines DRM_WIDE; and it is
 * parsed with CONFIG_HMM_MIRROR, which its Makefile builds it with
 * (`amdfoo-$(CONFIG_HMM_MIRROR) += amdfoo_mn.o`, `obj-$(CONFIG_DRM_AMDFOO)+=`
 * with the operator against the name, as amdgpu's): without it
 * amdfoo_mn_register() is amdfoo.h's static inline stub, redefined here.
 */
#include "amdfoo.h"

#ifndef DRM_WIDE
#error "drm's subdir-ccflags-y not applied"
#endif

int amdfoo_mn_register(struct vm_area_struct *vma)
{
	return vma != 0;
}

int amdfoo_mn_zap(struct vm_area_struct *vma, pmd_t *pmd, unsigned long addr)
{
	spinlock_t *ptl;
	pte_t *pte = pte_offset_map_lock(vma->vm_mm, pmd, addr, &ptl);
	pte_t entry = ptep_clear_flush_notify(vma, addr, pte);

	pte_unmap_unlock(pte, ptl);
	return AMDFOO_KGD_VERSION + AMDFOO_PM_LEVELS + (int)entry.pte;
}
