/* SPDX-License-Identifier: MIT */
#ifndef __NVKM_ENGINE_H__
#define __NVKM_ENGINE_H__
#include <nvif/os.h>
#define NVKM_ENGINE_COUNT 2
#endif
