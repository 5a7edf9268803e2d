// SPDX-License-Identifier: GPL-2.0
/*
 * Shape: net/dccp/proto.c. Expected: 0 errors, because CFLAGS_proto.o adds
 * -I$(src): define_trace.h's <./trace.h> is found there, and nowhere else.
 */
#include <linux/mmu_notifier.h>
#include "trace.h"

int dccp_zap(struct vm_area_struct *vma, pmd_t *pmd, unsigned long addr)
{
	spinlock_t *ptl;
	pte_t *pte = pte_offset_map_lock(vma->vm_mm, pmd, addr, &ptl);
	pte_t entry = ptep_clear_flush_notify(vma, addr, pte);

	pte_unmap_unlock(pte, ptl);
	return DCCP_TRACE_EVENTS + (int)entry.pte;
}
