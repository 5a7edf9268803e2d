/* SPDX-License-Identifier: MIT */
#ifndef AMDFOO_H
#define AMDFOO_H
#include <linux/mmu_notifier.h>
/* In ../include and ../pm/inc: found only through the Makefiles' -I. */
#include "kgd_iface.h"
#include "pm_iface.h"
#endif
