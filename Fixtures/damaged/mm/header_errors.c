/*
 * Expected: scan parses this file with 2 errors, both in
 * include/linux/assertions.h. The one in offset_unused() is listed in
 * errors_in_unused_functions: no code of this file reaches that function.
 * The one in offset_used() is not: note_offset() reaches it through
 * offset_via(), so an analysis of this file could read its damaged body.
 * The site in clear_one() is analysable either way.
 */
#include <linux/mmu_notifier.h>
#include <linux/assertions.h>

unsigned long note_offset(unsigned long offset)
{
	return offset_via(offset);
}

void clear_one(struct vm_area_struct *vma, unsigned long addr, pte_t *pte)
{
	ptep_clear_flush_notify(vma, addr, pte);
}
