/*
 * The notifier call whose callers the audit follows.
 */
#include <linux/mm.h>
#include <linux/mmu_notifier.h>

/*
 * Expected: sleepable true. Its callers in this configuration
 * (mm/plain.c) hold no lock; the callers in files built only for
 * another architecture are noted, not followed: those calling it by name
 * and the one calling it through zap_ops.zap (drivers/board/board_walk.c).
 */
void zap_one(struct vm_area_struct *vma, unsigned long address)
{
	mmu_notifier_invalidate_page(vma->vm_mm, address);
}

const struct zap_ops zap_ops = {
	.zap = zap_one,
};
