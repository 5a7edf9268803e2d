/*
 * A caller outside mm/, under its own spinlock.
 */
#include <linux/mm.h>

struct outside_state {
	spinlock_t lock;
	struct vm_area_struct *vma;
};

void exported_zap(struct vm_area_struct *vma, unsigned long address);

void outside_zap(struct outside_state *s, unsigned long address)
{
	spin_lock(&s->lock);
	exported_zap(s->vma, address);
	spin_unlock(&s->lock);
}
