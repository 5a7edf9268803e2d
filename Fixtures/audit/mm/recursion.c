/*
 * Recursion: a walk over a tree of nodes that takes each node's lock
 * around the walk of its child, but not around its own call.
 */
#include <linux/mm.h>
#include <linux/mmu_notifier.h>

struct walk_node {
	spinlock_t lock;
	struct walk_node *child;
	struct vm_area_struct *vma;
	unsigned long address;
};

/*
 * Expected: sleepable false. walk_start() calls walk_node() with nothing
 * held, but walk_node() calls itself for the child with n->lock
 * (spinlock) held, and the child's call of node_zap() runs under it:
 * chain walk_node() -> walk_node() -> node_zap(). The recursion is
 * followed once round and the audit ends.
 */
static void node_zap(struct vm_area_struct *vma, unsigned long address)
{
	spinlock_t *ptl;
	pte_t *pte;

	pte = pte_offset_map_lock(vma->vm_mm, vma_pmd(vma, address), address,
				  &ptl);
	ptep_clear_flush(vma, address, pte);
	pte_unmap_unlock(pte, ptl);
	mmu_notifier_invalidate_page(vma->vm_mm, address);
}

static void walk_node(struct walk_node *n)
{
	node_zap(n->vma, n->address);
	if (n->child) {
		spin_lock(&n->lock);
		walk_node(n->child);
		spin_unlock(&n->lock);
	}
}

void walk_start(struct walk_node *root)
{
	walk_node(root);
}
