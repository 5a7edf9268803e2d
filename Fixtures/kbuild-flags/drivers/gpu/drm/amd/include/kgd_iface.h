/* SPDX-License-Identifier: MIT */
#ifndef KGD_IFACE_H
#define KGD_IFACE_H
#define AMDFOO_KGD_VERSION 11
#endif
