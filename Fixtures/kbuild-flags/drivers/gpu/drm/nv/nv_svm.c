// SPDX-License-Identifier: MIT
/*
 * Shape: nouveau_svm.c. Expected: 0 errors, because the directory's Kbuild
 * adds -I $(NV_PATH)/$(src)/include, where <nvif/os.h> is; its Makefile
 * (which defines NV_MAKEFILE_READ) is not read.
 */
#include <nvif/os.h>

#ifdef NV_MAKEFILE_READ
#error "the Makefile was read although the directory has a Kbuild file"
#endif

int nv_svm_zap(struct vm_area_struct *vma, pmd_t *pmd, unsigned long addr)
{
	spinlock_t *ptl;
	pte_t *pte = pte_offset_map_lock(vma->vm_mm, pmd, addr, &ptl);
	pte_t entry = ptep_clear_flush_notify(vma, addr, pte);

	pte_unmap_unlock(pte, ptl);
	return NVIF_PAGE_SHIFT + (int)entry.pte;
}
