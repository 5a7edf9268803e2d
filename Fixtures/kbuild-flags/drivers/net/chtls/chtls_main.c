// SPDX-License-Identifier: GPL-2.0-only
/*
 * Shape: chtls_main.c. Expected: 0 errors, because ccflags-y adds
 * -I $(srctree)/drivers/net/cxgb ("t4_hw.h") and defines CHTLS_VERSION as
 * the string "1.0"; CHTLS_NEVER is not defined (its option is not set).
 */
#include <linux/mmu_notifier.h>
#include "t4_hw.h"

#ifdef CHTLS_NEVER
#error "ccflags of an option that is not set applied"
#endif

static const char chtls_version[] = CHTLS_VERSION;

int chtls_zap(struct vm_area_struct *vma, pmd_t *pmd, unsigned long addr)
{
	spinlock_t *ptl;
	pte_t *pte = pte_offset_map_lock(vma->vm_mm, pmd, addr, &ptl);
	pte_t entry = ptep_clear_flush_notify(vma, addr, pte);

	pte_unmap_unlock(pte, ptl);
	return T4_QUEUES + (int)sizeof(chtls_version) + (int)entry.pte;
}
