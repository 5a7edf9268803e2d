// The conversion notifysplit does, as far as a semantic patch says it
// simply: the plain op in place of the macro, the notifier after the
// page-table unlock that follows it. Written for the benchmark (same job,
// same files); it converts less than notifysplit and checks no hazard.

@flush@
expression vma, addr, ptep, pte, ptl;
@@
- ptep_clear_flush_notify(vma, addr, ptep);
+ ptep_clear_flush(vma, addr, ptep);
  ... when != pte_unmap_unlock(...)
  pte_unmap_unlock(pte, ptl);
+ mmu_notifier_invalidate_range(vma->vm_mm, addr & PAGE_MASK,
+			       (addr & PAGE_MASK) + PAGE_SIZE);

@young@
expression vma, addr, ptep, pte, ptl;
statement S;
@@
- if (ptep_clear_flush_young_notify(vma, addr, ptep))
-	S
+ young = ptep_clear_flush_young(vma, addr, ptep);
  ... when != pte_unmap_unlock(...)
  pte_unmap_unlock(pte, ptl);
+ young = young | mmu_notifier_clear_flush_young(vma->vm_mm, addr, addr + PAGE_SIZE);
+ if (young)
+	S
