/*
 * Helpers defined in a file of their own, called between the op and the
 * unlock from mm/elsewhere.c: that translation unit only sees their
 * prototypes, so the tool must find these bodies in the tree to judge
 * the calls. No notify macro is used here.
 */
#include <linux/mm.h>

unsigned long pages_unmapped;

/* Only counts: no page reference, no pte. */
void account_unmapped(struct page *page)
{
	pages_unmapped++;
}

/* Drops the caller's page reference. */
void release_unmapped(struct page *page)
{
	put_page(page);
}

static void retire(struct page *page)
{
	page_cache_release(page);
}

/* Drops a reference two calls down, through a static helper of this file. */
void retire_unmapped(struct page *page)
{
	pages_unmapped--;
	retire(page);
}

/* Writes a pte itself. */
void reinstall_pte(struct vm_area_struct *vma, unsigned long address,
		   pte_t *pte, pte_t pteval)
{
	set_pte_at(vma->vm_mm, address, pte, pteval);
}

/* Hands the page to a function no file of the tree defines. */
void queue_unmapped(struct page *page)
{
	driver_take_page(page);
}
