/* SPDX-License-Identifier: GPL-2.0 */
#if !defined(_DCCP_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _DCCP_TRACE_H
#define DCCP_TRACE_EVENTS 1
#endif

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#ifndef TRACE_HEADER_MULTI_READ
#include <trace/define_trace.h>
#endif
