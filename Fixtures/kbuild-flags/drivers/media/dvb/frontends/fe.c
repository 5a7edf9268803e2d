// SPDX-License-Identifier: GPL-2.0
/*
 * Shape: a 2.6 dvb frontend. Expected: 0 errors, because EXTRA_CFLAGS adds
 * -Idrivers/media/dvb/dvb-core/ relative to the tree ("dvb_frontend.h").
 */
#include <linux/mmu_notifier.h>
#include "dvb_frontend.h"

int fe_zap(struct vm_area_struct *vma, pmd_t *pmd, unsigned long addr)
{
	spinlock_t *ptl;
	pte_t *pte = pte_offset_map_lock(vma->vm_mm, pmd, addr, &ptl);
	pte_t entry = ptep_clear_flush_notify(vma, addr, pte);

	pte_unmap_unlock(pte, ptl);
	return DVB_FRONTEND_MAX + (int)entry.pte;
}
