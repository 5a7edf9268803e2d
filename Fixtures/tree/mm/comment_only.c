// SPDX-License-Identifier: GPL-2.0
/* Shape: the macro is only mentioned in comments. */
#include <linux/mm.h>

/*
 * Nothing here calls ptep_clear_flush_notify(); this comment and the
 * string below must not count as uses.
 */
const char *notify_name = "ptep_clear_flush_young_notify";

int pte_is_young(pte_t pte)
{
	return pte_young(pte); // unlike ptep_clear_flush_young_notify()
}
