/* The function calls a helper no header declares: clang drops that
 * statement from the AST, so the unlock after it is invisible. */
#include <linux/mmu_notifier.h>

void broken_unmap(struct vm_area_struct *vma, unsigned long addr, pte_t *pte,
		  void *ptl)
{
	ptep_clear_flush_notify(vma, addr, pte);
	undeclared_unlock_helper(pte, ptl);
}

void intact_unmap(struct vm_area_struct *vma, unsigned long addr, pte_t *pte)
{
	ptep_clear_flush_notify(vma, addr, pte);
}
