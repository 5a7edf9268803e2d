/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _DVB_FRONTEND_H_
#define _DVB_FRONTEND_H_
#define DVB_FRONTEND_MAX 4
#endif
