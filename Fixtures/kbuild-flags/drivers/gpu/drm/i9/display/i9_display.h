/* SPDX-License-Identifier: MIT */
#ifndef __I9_DISPLAY_H__
#define __I9_DISPLAY_H__
/* In the driver's top directory, not this one: found through -I$(srctree)/$(src). */
#include "i9_reg_defs.h"
#endif
