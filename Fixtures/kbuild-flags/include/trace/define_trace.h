/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reads a trace header a second time, by the path the header gave in
 * TRACE_INCLUDE_PATH — relative to an include directory, as the kernel's.
 */
#define __trace_stringify_1(x) #x
#define __trace_stringify(x) __trace_stringify_1(x)
#define TRACE_INCLUDE(system) __trace_stringify(TRACE_INCLUDE_PATH/system.h)
#define TRACE_HEADER_MULTI_READ
#include TRACE_INCLUDE(TRACE_INCLUDE_FILE)
#undef TRACE_HEADER_MULTI_READ
