// SPDX-License-Identifier: MIT
/*
 * Shape: nouveau's nvkm/subdev/mmu/vmm.c, listed by a Kbuild file that
 * ../../../Kbuild includes. Expected: 0 errors, because nv/Kbuild builds
 * it and its -I …/include/nvkm has <core/engine.h>.
 */
#include <core/engine.h>

int nvkm_vmm_zap(struct vm_area_struct *vma, pmd_t *pmd, unsigned long addr)
{
	spinlock_t *ptl;
	pte_t *pte = pte_offset_map_lock(vma->vm_mm, pmd, addr, &ptl);
	pte_t entry = ptep_clear_flush_notify(vma, addr, pte);

	pte_unmap_unlock(pte, ptl);
	return NVKM_ENGINE_COUNT + (int)entry.pte;
}
