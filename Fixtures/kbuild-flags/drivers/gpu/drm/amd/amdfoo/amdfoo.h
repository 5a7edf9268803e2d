/* SPDX-License-Identifier: MIT */
#ifndef AMDFOO_H
#define AMDFOO_H
#include <linux/mmu_notifier.h>
/* In ../include and ../pm/inc: found only through the Makefiles' -I. */
#include "kgd_iface.h"
#include "pm_iface.h"

/* amdgpu_mn.h's shape: the real function only where amdfoo_mn.c is built. */
#if defined(CONFIG_HMM_MIRROR)
int amdfoo_mn_register(struct vm_area_struct *vma);
#else
static inline int amdfoo_mn_register(struct vm_area_struct *vma)
{
	return 0;
}
#endif
#endif
