import Foundation

/// The page-table lock and page-reference operations the analysis looks
/// for, by the names the kernel's generic APIs use (functions or macros).
enum LockOperations {
    /// Releases of the page-table lock: name → index of the argument naming
    /// the lock.
    static let releases: [String: Int] = [
        "pte_unmap_unlock": 1, "spin_unlock": 0, "page_vma_mapped_walk_done": 0,
    ]

    /// Calls that take and drop the page-table lock inside themselves.
    static let hiddenReleases: Set<String> = ["page_vma_mapped_walk"]

    /// Calls that take the page-table lock: name → index of the argument
    /// naming the lock (`&ptl`).
    static let acquiring: [String: Int] = [
        "pte_offset_map_lock": 3, "spin_lock": 0, "page_check_address": 3, "get_locked_pte": 2,
        "page_vma_mapped_walk": 0,
    ]

    static var acquires: Set<String> { Set(acquiring.keys).union(acquiringByResult) }

    /// Calls that take a page-table lock and return it (`ptl =
    /// pmd_lock(mm, pmd)`): the lock is what their result is stored in.
    static let acquiringByResult: Set<String> = ["pmd_lock", "pud_lock", "huge_pte_lock"]

    /// Acquisitions and releases that can only be of a page-table lock.
    static let pageTableAcquires: Set<String> = [
        "pte_offset_map_lock", "page_check_address", "get_locked_pte", "page_vma_mapped_walk",
        "pmd_lock", "pud_lock", "huge_pte_lock",
    ]
    static let pageTableReleases: Set<String> = ["pte_unmap_unlock", "page_vma_mapped_walk_done"]

    /// Calls that drop a page reference. Functions defined in the
    /// translation unit are also judged by their bodies (CalleeSummaries);
    /// this list names the primitives, and the ones defined in other files
    /// (the swap cache drops its reference in delete_from_swap_cache(),
    /// which try_to_free_swap() calls).
    static let pageReferenceDrops: Set<String> = [
        "put_page", "page_cache_release", "folio_put", "folio_put_refs", "free_page", "free_pages",
        "__free_page", "__free_pages", "put_page_testzero", "release_pages", "folios_put",
        "free_page_and_swap_cache", "free_pages_and_swap_cache", "delete_from_swap_cache",
        "try_to_free_swap", "folio_free_swap",
    ]

    /// Calls that write a pte (or pmd): name → index of the argument
    /// holding the value.
    static let pteWrites: [String: Int] = [
        "set_pte_at": 3, "set_pte_at_notify": 3, "set_ptes": 3, "set_pte": 1, "set_pmd_at": 3,
        "set_huge_pte_at": 3, "set_pud_at": 3,
    ]

    /// `&pvmw` → `pvmw`, `vmf->ptl` stays: the lock named by an argument.
    static func lockName(_ argument: String) -> String {
        var text = argument.trimmingCharacters(in: .whitespaces)
        if text.hasPrefix("&") { text.removeFirst() }
        return text.filter { !$0.isWhitespace }
    }

    /// Kernel primitives defined in other files whose effect between the op
    /// and the unlock is known not to matter: rmap and LRU bookkeeping, page
    /// flags, counters, cache and TLB maintenance, diagnostics. They neither
    /// drop a page reference nor write a pte. A call defined nowhere the
    /// translation unit can see and not listed here is refused by name.
    static let neutralPrimitives: Set<String> = [
        "page_remove_rmap", "page_add_anon_rmap", "page_add_new_anon_rmap", "page_add_file_rmap", "page_dup_rmap",
        "folio_add_new_anon_rmap", "folio_add_anon_rmap_pte", "folio_remove_rmap_pte", "hugepage_add_anon_rmap",
        "set_page_dirty", "mark_page_accessed", "folio_mark_dirty", "folio_mark_accessed", "SetPageDirty",
        "lru_cache_add", "lru_cache_add_active", "lru_cache_add_lru", "lru_cache_add_active_or_unevictable", "lru_cache_add_inactive_or_unevictable",
        "folio_add_lru_vma", "mlock_vma_page", "munlock_vma_page", "mlock_vma_folio",
        "update_mmu_cache", "update_mmu_cache_range", "flush_cache_page", "flush_tlb_page", "flush_tlb_range",
        "flush_icache_page", "update_hiwater_rss", "dec_mm_counter", "inc_mm_counter", "add_mm_counter",
        "dec_mm_counter_fast", "inc_mm_counter_fast", "mem_cgroup_uncharge_page", "mem_cgroup_commit_charge",
        "printk", "_printk", "__warn_printk", "warn_slowpath_null", "warn_slowpath_fmt", "dump_page",
        "__might_sleep", "__cond_resched", "ftrace_likely_update",
        // Queries and the page lock.
        "vm_normal_page", "page_mapped", "page_mapcount", "PageHuge", "PageAnon", "rwsem_is_locked",
        "unlock_page", "swap_duplicate", "swap_free",
        // The plain page-table ops the notify macros wrap.
        "ptep_clear_flush", "ptep_clear_flush_young", "ptep_test_and_clear_young", "ptep_get_and_clear",
        "pmdp_clear_flush", "pmdp_huge_clear_flush", "pudp_huge_clear_flush", "pmdp_clear_flush_young",
        "pmdp_test_and_clear_young",
        // Spinlock implementations behind spin_lock()/spin_unlock().
        "_spin_lock", "_spin_unlock", "_raw_spin_lock", "_raw_spin_unlock", "__raw_spin_lock", "do_raw_spin_lock",
    ]

    /// Accessors that read a pte's or pmd's bits (no effect at all).
    static let pteAccessors: Set<String> = [
        "pte_none", "pte_present", "pte_dirty", "pte_young", "pte_write", "pte_exec", "pte_special", "pte_file",
        "pte_pgprot", "pte_val", "pte_soft_dirty", "pte_uffd_wp", "pte_swp_soft_dirty", "pte_to_swp_entry",
        "pte_to_pgoff", "is_swap_pte", "is_migration_entry", "ptep_get", "pmd_none", "pmd_present", "pmd_dirty",
        "pmd_young", "pmd_write", "pmd_val", "pmd_trans_huge",
    ]

    /// True for a call whose effect the tool knows without its body.
    static func isKnownPrimitive(_ name: String) -> Bool {
        name.hasPrefix("__builtin_") || neutralPrimitives.contains(name) || pteAccessors.contains(name)
            || PteProvenance.sameMapping.contains(name) || PteProvenance.notPresentEntries.contains(name)
            || PteProvenance.pageMappings.contains(name) || PteProvenance.pageOfEntry.contains(name)
            || ["make_migration_entry", "make_hwpoison_entry", "make_device_private_entry", "swp_entry"]
                .contains(name)
            || releases[name] != nil
            || acquires.contains(name) || hiddenReleases.contains(name) || pageReferenceDrops.contains(name)
            || pteWrites[name] != nil || ["pte_unmap", "spin_lock", "spin_unlock"].contains(name)
    }
}
