/* SPDX-License-Identifier: MIT */
#ifndef PM_IFACE_H
#define PM_IFACE_H
#define AMDFOO_PM_LEVELS 3
#endif
