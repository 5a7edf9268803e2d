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
}
