// SPDX-License-Identifier: GPL-2.0
/*
 * Shape: 3.0's arch/x86/kvm/x86.c. Expected: 0 errors, because
 * CFLAGS_x86.o := -I. makes the top of the tree an include directory, where
 * define_trace.h's <arch/x86/kvm/trace.h> is found.
 */
#include <linux/mmu_notifier.h>
#include "trace.h"

int kvm_zap(struct vm_area_struct *vma, pmd_t *pmd, unsigned long addr)
{
	spinlock_t *ptl;
	pte_t *pte = pte_offset_map_lock(vma->vm_mm, pmd, addr, &ptl);
	pte_t entry = ptep_clear_flush_notify(vma, addr, pte);

	pte_unmap_unlock(pte, ptl);
	return KVM_TRACE_EVENTS + (int)entry.pte;
}
