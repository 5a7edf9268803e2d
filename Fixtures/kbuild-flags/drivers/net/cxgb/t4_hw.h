/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef __T4_HW_H
#define __T4_HW_H
#define T4_QUEUES 8
#endif
