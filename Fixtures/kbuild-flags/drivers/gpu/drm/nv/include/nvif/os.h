/* SPDX-License-Identifier: MIT */
#ifndef __NVIF_OS_H__
#define __NVIF_OS_H__
#include <linux/mmu_notifier.h>
#define NVIF_PAGE_SHIFT 12
#endif
