#ifndef _LINUX_MM_TYPES_H
#define _LINUX_MM_TYPES_H

#include <asm/pgtable.h>

typedef struct { int slock; } spinlock_t;
struct mm_struct { spinlock_t page_table_lock; };
struct vm_area_struct { struct mm_struct *vm_mm; unsigned long vm_flags; };
struct page { unsigned long flags; };

#endif
