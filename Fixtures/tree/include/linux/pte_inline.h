/* SPDX-License-Identifier: GPL-2.0 */
/* Shape: a use inside a static inline in a header. */
#ifndef _LINUX_PTE_INLINE_H
#define _LINUX_PTE_INLINE_H

#include <linux/mm.h>
#include <linux/mmu_notifier.h>

static inline pte_t clear_pte_locked(struct vm_area_struct *vma,
				     unsigned long addr, pte_t *ptep)
{
	return ptep_clear_flush_notify(vma, addr, ptep);
}

#endif /* _LINUX_PTE_INLINE_H */
