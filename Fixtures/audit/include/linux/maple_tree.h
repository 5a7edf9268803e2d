/*
 * A lock taken and dropped through macros on a parameter inside a header
 * inline, in the shape of 6.x's mt_clear_in_rcu(): mtree_lock(mt) and
 * mtree_unlock(mt) pass &(mt)->ma_lock to an inline that takes or drops
 * it. The macros' bodies name the lock (mt->ma_lock); the invocations'
 * texts differ, so only that name pairs the unlock with the lock.
 */
#ifndef _LINUX_MAPLE_TREE_H
#define _LINUX_MAPLE_TREE_H

#include <linux/mm.h>

struct maple_tree {
	spinlock_t ma_lock;
	unsigned long ma_flags;
};

static inline void tree_spin_lock(spinlock_t *lock)
{
	spin_lock(lock);
}

static inline void tree_spin_unlock(spinlock_t *lock)
{
	spin_unlock(lock);
}

#define mtree_lock(mt)		tree_spin_lock((&(mt)->ma_lock))
#define mtree_unlock(mt)	tree_spin_unlock((&(mt)->ma_lock))

/* Takes mt->ma_lock and drops it again: nothing is held on return. */
static inline void tree_clear(struct maple_tree *mt)
{
	if (!mt->ma_flags)
		return;
	mtree_lock(mt);
	mt->ma_flags = 0;
	mtree_unlock(mt);
}

#endif
