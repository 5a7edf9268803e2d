/* SPDX-License-Identifier: MIT */
#ifndef __I9_REG_DEFS_H__
#define __I9_REG_DEFS_H__
#define I9_REG_COUNT 4
#endif
