/*
 * A caller of a header inline that takes and drops a lock through macros
 * on its parameter (include/linux/maple_tree.h, 6.x's maple tree shape).
 */
#include <linux/mm.h>
#include <linux/maple_tree.h>
#include <linux/mmu_notifier.h>

/*
 * Expected: sleepable true, with no lock held on its one chain: its caller,
 * exit_tree(), calls it after tree_clear(), which has dropped the lock it
 * took on every path; tree_zap() itself takes none. (Were the unlock not
 * paired with the lock, the chain would hold mtree_lock(mt) on some paths
 * and the answer would be unknown.)
 */
static void tree_zap(struct mm_struct *mm, unsigned long address)
{
	mmu_notifier_invalidate_page(mm, address);
}

void exit_tree(struct mm_struct *mm, struct maple_tree *tree, unsigned long address)
{
	tree_clear(tree);
	tree_zap(mm, address);
}
